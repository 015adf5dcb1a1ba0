import Foundation
import Testing

/// Real processes, real SQLite files, SIGKILL.
@Suite(.serialized) struct CrashTests {
    /// A data dir, a one-template folder and a config with an outbox channel.
    static func setUp(_ label: String) throws -> (dir: String, config: String) {
        let dir = TestSupport.temporaryDirectory(label)
        try FileManager.default.createDirectory(atPath: dir + "/templates/note", withIntermediateDirectories: true)
        try "---\nsubject: Hello {{contact.name}}\n---\n<p>Hi {{contact.name}}</p>\n".write(
            toFile: dir + "/templates/note/email.en.html", atomically: true, encoding: .utf8)
        try "Hi {{contact.name}}\n".write(
            toFile: dir + "/templates/note/email.en.txt", atomically: true, encoding: .utf8)
        let config = dir + "/outreachd.conf"
        try """
        data_dir = "\(dir)/data"
        templates_dir = "\(dir)/templates"
        [channels.outbox]
        type = "outbox"
        dir = "outbox"
        """.write(toFile: config, atomically: true, encoding: .utf8)
        return (dir, config)
    }

    /// Counts with the sqlite3 shell: an independent reader of the file.
    static func count(_ db: String, _ sql: String) throws -> Int {
        let r = try TestSupport.run("sqlite3", ["-cmd", ".timeout 10000", db, sql])
        guard let n = Int(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) else {
            Issue.record("sqlite3 could not count: \(r.stderr)")
            return -1
        }
        return n
    }

    @Test func sigkillDuringEnqueueLeavesNoneOrAll() throws {
        var outcomes: [Int] = []
        let to = (0..<10_000).flatMap { ["--to", "p\($0)@example.org"] }
        // How long an enqueue of 10,000 takes here, uninterrupted; then kill at fractions of that,
        // so some kills land before the commit, some during, some after.
        let (_, probe) = try Self.setUp("kill-probe")
        let start = Date()
        #expect(try TestSupport.outreachd(["--config", probe, "send", "note", "--queue-only"] + to).status == 0)
        let full = Date().timeIntervalSince(start)
        for fraction in [0.2, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0, 1.1, 1.5, 3.0] {
            let delayMillis = Int(full * fraction * 1000)
            let (dir, config) = try Self.setUp("kill-enqueue")
            let p = Process()
            p.executableURL = URL(fileURLWithPath: TestSupport.outreachd)
            p.arguments = ["--config", config, "send", "note", "--queue-only"] + to
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(useconds_t(delayMillis * 1000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let db = dir + "/data/outreach.db"
            guard FileManager.default.fileExists(atPath: db) else { outcomes.append(0); continue }
            #expect(
                try TestSupport.run("sqlite3", [db, "PRAGMA integrity_check"]).stdout.trimmingCharacters(
                    in: .whitespacesAndNewlines) == "ok")
            let tables = try Self.count(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'deliveries'")
            let n = tables == 0 ? 0 : try Self.count(db, "SELECT COUNT(*) FROM deliveries")
            #expect(n == 0 || n == 10_000, "a killed enqueue (after \(delayMillis) ms) left \(n) of 10000 deliveries")
            outcomes.append(n)
        }
        // The sweep must have caught at least one run on each side, or it proved nothing.
        #expect(
            outcomes.contains(0) && outcomes.contains(10_000), "kill moments did not straddle the commit: \(outcomes)")
    }

    @Test func aKilledWorkersDeliveriesAreResumedAfterTheLease() throws {
        let (dir, config) = try Self.setUp("kill-work")
        let to = (0..<200).flatMap { ["--to", "p\($0)@example.org"] }
        #expect(try TestSupport.outreachd(["--config", config, "send", "note", "--queue-only"] + to).status == 0)
        let db = dir + "/data/outreach.db"
        // Simulate a worker that claimed everything and died: leases held by a dead owner, an hour
        // from expiring, so no machine is slow enough to see them expire during the first run.
        let nowMillis = { Int64(Date().timeIntervalSince1970 * 1000) }
        _ = try TestSupport.run(
            "sqlite3",
            [
                db,
                """
                UPDATE deliveries SET state='sending', lease_owner='dead',
                    lease_expires_at=\(nowMillis() + 3_600_000), attempts=1
                """,
            ])
        var r = try TestSupport.outreachd(["--config", config, "work", "--until-idle", "--json"])
        #expect(r.stdout.contains("\"sent\":0"), "\(r.stdout) \(r.stderr)")
        #expect(try Self.count(db, "SELECT COUNT(*) FROM deliveries WHERE lease_owner='dead'") == 200)
        // The lease runs out (moved into the past rather than waited for): the next run takes them.
        _ = try TestSupport.run("sqlite3", [db, "UPDATE deliveries SET lease_expires_at=\(nowMillis() - 1)"])
        r = try TestSupport.outreachd(["--config", config, "work", "--until-idle", "--json"])
        #expect(r.stdout.contains("\"sent\":200"), "\(r.stdout) \(r.stderr)")
        #expect(try Self.count(db, "SELECT COUNT(*) FROM deliveries WHERE state='sent'") == 200)
    }
}
