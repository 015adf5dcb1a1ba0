import Foundation
import Outreach
import Testing

/// The data directory on a small tmpfs, filled up while the daemon runs: triggers are refused
/// with 503 and `Retry-After` (the same request succeeds later), `/healthz` says the store is not
/// writable, and both recover once space is freed.
@Suite(.serialized)
struct DaemonFullDiskTests {
    @Test func aFullDiskAnswers503WithRetryAfterAndHealthzSaysSoUntilSpaceIsFreed() throws {
        let d = try DaemonHarness()
        let data = d.dir + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        let mount = try TestSupport.run("mount", ["-t", "tmpfs", "-o", "size=16m", "tmpfs", data])
        if mount.status != 0 {
            let denied = ["permission denied", "only root", "must be superuser", "operation not permitted"]
            if denied.contains(where: mount.stderr.lowercased().contains) {
                try Test.cancel("mounting a tmpfs is not permitted here: \(mount.stderr)")
            }
            Issue.record("mount failed: \(mount.stderr)")
            return
        }
        defer { _ = try? TestSupport.run("umount", ["-l", data]) }
        try d.start()
        defer { d.stop(SIGKILL) }
        func trigger(_ n: Int, key: String? = nil) throws -> DaemonHarness.Response {
            try d.send(
                d.trigger(
                    #"{"template":"welcome","to":[{"email":"full\#(n)@example.org"}]}"#,
                    headers: key.map { ["Idempotency-Key": $0] } ?? [:]))
        }
        func health() throws -> DaemonHarness.Response { try d.send(["method": "GET", "path": "/healthz"]) }
        #expect(try trigger(0).status == 202)
        #expect(try health().status == 200)

        // Fill the file system to the last page.
        _ = try TestSupport.run("dd", ["if=/dev/zero", "of=\(data)/filler", "bs=64k"])
        var h = try health()
        let deadline = Date(timeIntervalSinceNow: 15)
        while h.status == 200 && Date() < deadline {
            usleep(200_000)
            h = try health()
        }
        #expect(h.status == 503, "/healthz says \(h.status) \(h.body) on a full disk")
        #expect(h.error.contains("full") || h.error.contains("space"), "\(h.body)")

        let refused = try trigger(1, key: "full-1")
        #expect(refused.status == 503, "\(refused.status) \(refused.body)")
        #expect(Int(refused.headers["retry-after"] ?? "") ?? 0 > 0, "\(refused.headers)")
        #expect(refused.error.contains("full") || refused.error.contains("space"), "\(refused.body)")
        #expect(kill(d.pid, 0) == 0, "the daemon died on a full disk")

        try FileManager.default.removeItem(atPath: data + "/filler")
        let recovered = Date(timeIntervalSinceNow: 15)
        while try health().status != 200 && Date() < recovered { usleep(200_000) }
        #expect(try health().status == 200, "/healthz did not recover after space was freed")
        // The refused request stored nothing: sent again, it is new, not a replay.
        let again = try trigger(1, key: "full-1")
        #expect(again.status == 202, "\(again.body)")
        #expect(again.headers["idempotent-replayed"] == nil)
        #expect(try d.queueCounts()["total"]?.intValue == 2)
        #expect(d.stop().status == 0)
    }

    /// A limit the free space does not show (here the file-size limit, as a quota would be): the
    /// first refused write marks the store unwritable, and the daemon's probe clears the mark once
    /// writes succeed again, even with no trigger coming (a balancer stopped sending).
    @Test func aWriteLimitTheFreeSpaceDoesNotShowIsReportedUntilAProbeSucceeds() throws {
        let d = try DaemonHarness()
        // Started as systemd starts it: no signal blocked or ignored (a child of the test runner
        // inherits a blocked mask, under which SIGXFSZ could not kill it).
        try d.start(wrapper: [
            "python3", "-c",
            """
            import os, signal, sys
            signal.signal(signal.SIGXFSZ, signal.SIG_DFL)
            signal.pthread_sigmask(signal.SIG_SETMASK, [])
            os.execv(sys.argv[1], sys.argv[1:])
            """,
        ])
        defer { d.stop(SIGKILL) }
        func trigger(_ n: Int) throws -> DaemonHarness.Response {
            try d.send(d.trigger(#"{"template":"welcome","to":[{"email":"limit\#(n)@example.org"}]}"#))
        }
        func health() throws -> DaemonHarness.Response { try d.send(["method": "GET", "path": "/healthz"]) }
        #expect(try trigger(0).status == 202)
        let wal = d.dir + "/data/outreach.db-wal"
        let size = (try FileManager.default.attributesOfItem(atPath: wal)[.size] as? NSNumber)?.intValue ?? 0
        #expect(size > 0)
        // No file of the daemon may grow past its size now: the next commit cannot append to the log.
        let limit = try TestSupport.run("prlimit", ["--pid", String(d.pid), "--fsize=\(size):"])
        #expect(limit.status == 0, "\(limit.stderr)")

        let refused = try trigger(1)
        #expect(refused.status == 503, "\(refused.status) \(refused.body)")
        #expect(Int(refused.headers["retry-after"] ?? "") ?? 0 > 0, "\(refused.headers)")
        #expect(kill(d.pid, 0) == 0, "the daemon died at its file-size limit")
        let h = try health()
        #expect(h.status == 503, "/healthz says \(h.status) \(h.body) after a refused write")
        #expect(h.error.contains("store cannot take writes"), "\(h.body)")

        #expect(try TestSupport.run("prlimit", ["--pid", String(d.pid), "--fsize=unlimited:"]).status == 0)
        let recovered = Date(timeIntervalSinceNow: 15)
        while try health().status != 200 && Date() < recovered { usleep(200_000) }
        #expect(try health().status == 200, "/healthz did not recover once writes succeed again")
        #expect(try trigger(1).status == 202)
        #expect(d.stop().status == 0)
    }
}
