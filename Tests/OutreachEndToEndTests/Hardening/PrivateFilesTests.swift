import Foundation
import Outreach
import Testing

/// Issue 14.9: the data directory holds personal data (the database, its write-ahead log, the
/// outbox), so it is 0700 and its files 0600 whatever the umask of the process that made them —
/// outside systemd a shell's 022 made them world-readable.
@Suite(.serialized)
struct PrivateFilesTests {
    /// The permission bits of `path`, or nil when it does not exist.
    static func mode(_ path: String) -> Int? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return Int(st.st_mode & 0o7777)
    }

    /// Every file and folder under `root` (itself included) with its mode, for the failure message.
    static func modes(under root: String) -> [String: Int] {
        var out: [String: Int] = [root: mode(root) ?? -1]
        for rel in FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [] {
            out[root + "/" + rel] = mode(root + "/" + rel) ?? -1
        }
        return out
    }

    /// `outreachd ARGS` started by a shell that sets `umask` first, as a login shell or cron does.
    static func withUmask(_ umask: String, _ args: [String]) -> [String] {
        ["-c", "umask \(umask); exec \"$0\" \"$@\"", TestSupport.outreachd] + args
    }

    @Test(arguments: ["022", "000"])
    func theCLIMakesThePrivateFolderAndFilesWhateverTheUmask(umask: String) throws {
        let (dir, config) = try CrashTests.setUp("private-\(umask)")
        // A data directory that does not exist yet, one level below a folder that does not either.
        try String(contentsOfFile: config, encoding: .utf8)
            .replacingOccurrences(of: "data_dir = \"\(dir)/data\"", with: "data_dir = \"\(dir)/state/data\"")
            .write(toFile: config, atomically: true, encoding: .utf8)
        let r = try TestSupport.run(
            "/bin/sh",
            Self.withUmask(
                umask,
                [
                    "--config", config, "send", "note",
                    "--to", "ana@example.org",
                ]))
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        let data = dir + "/state/data"
        let all = Self.modes(under: dir + "/state")
        #expect(Self.mode(dir + "/state") == 0o700, "\(all)")
        #expect(Self.mode(data) == 0o700, "\(all)")
        #expect(Self.mode(data + "/outreach.db") == 0o600, "\(all)")
        #expect(Self.mode(data + "/link-key") == 0o600, "\(all)")
        #expect(Self.mode(data + "/outbox") == 0o700, "\(all)")
        let emails = all.keys.filter { $0.hasSuffix(".eml") }
        #expect(emails.count == 1, "\(all)")
        for e in emails { #expect(Self.mode(e) == 0o600, "\(e): \(all)") }
        for (path, m) in all where m & 0o077 != 0 {
            Issue.record("\(path) is \(String(m, radix: 8)), readable by others")
        }
    }

    /// The daemon's write-ahead log and shared-memory file exist only while it runs: looked at then.
    @Test func theDaemonsDatabaseLogAndOutboxAreOwnerOnly() throws {
        let d = try DaemonHarness()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = Self.withUmask("022", ["--config", d.configPath, "serve"])
        _ = FileManager.default.createFile(atPath: d.logPath, contents: nil)
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: d.logPath))
        p.standardOutput = log
        p.standardError = log
        try p.run()
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() } }
        let ready = try TestSupport.run("python3", [DaemonHarness.client, "wait", d.base + "/healthz", "30"])
        try #require(ready.status == 0, "\(d.log)")
        let r = try d.send(d.trigger(#"{"template":"welcome","to":[{"email":"ana@example.org"}]}"#))
        #expect(r.status == 202, "\(r.body)")
        let data = d.dir + "/data"
        try DaemonCrashTests.waitFor("the message in the outbox", seconds: 30) {
            Self.modes(under: data).keys.contains { $0.hasSuffix(".eml") }
        }
        let all = Self.modes(under: data)
        for file in ["", "/outreach.db", "/outreach.db-wal", "/outreach.db-shm", "/outbox"] {
            #expect(Self.mode(data + file) != nil, "\(data + file) is missing: \(all)")
        }
        for (path, m) in all where m & 0o077 != 0 {
            Issue.record("\(path) is \(String(m, radix: 8)), readable by others")
        }
        kill(p.processIdentifier, SIGTERM)
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(d.log)")
    }
}
