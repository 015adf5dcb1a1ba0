import Foundation
import Testing

@testable import Outreach

/// Issue 17, the bounce mailbox end to end: `outreachd serve` reads a real Dovecot on loopback
/// (`[bounces] mailbox`), mail goes out through aiosmtpd first so the bounces have deliveries to
/// name, and what happened is read back with Python's imaplib and the CLI.
@Suite(.serialized) struct BounceMailboxDaemonTests {
    /// A daemon with an SMTP channel `mail` and `[bounces]` pointing at `imapPort`.
    static func daemon(smtpPort: Int, imapPort: Int, password: String, bounces: String = "") throws -> DaemonHarness {
        let (templatesDir, _) = try CrashTests.setUp("bimap-templates")
        let poll = bounces.contains("poll =") ? "" : "poll = \"1s\""
        let harness = try DaemonHarness(
            channels: BounceIngestTests.mailChannel(smtpPort: smtpPort) + "\n\n"
                + """
                [bounces]
                mailbox = "imap://bounces@127.0.0.1:\(imapPort)/INBOX"
                password_file = "imap-password"
                tls = "none"
                \(poll)
                \(bounces)
                """, templates: templatesDir + "/templates")
        try (password + "\n").write(toFile: harness.dir + "/imap-password", atomically: true, encoding: .utf8)
        return harness
    }

    static func build(_ args: [String]) throws -> [UInt8] {
        let r = try TestSupport.run("python3", [TestSupport.packageRoot + "/Tests/peers/bounce_build.py"] + args)
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdoutBytes
    }

    @Test func bouncesAreAppliedAndMovedAndEverythingElseStays() throws {
        let smtp = try SMTPServer()
        let imap = try DovecotServer()
        defer { imap.stop() }
        let d = try Self.daemon(smtpPort: smtp.port, imapPort: imap.port, password: imap.password)
        for to in ["gone@example.org", "angry@example.org", "fine@example.org"] {
            let sent = try d.cli(["send", "note", "--to", to, "--channel", "mail"])
            #expect(sent.status == 0, "\(sent.stderr)")
        }
        let original = d.dir + "/angry.eml"
        _ = FileManager.default.createFile(
            atPath: original, contents: Data(try #require(smtp.messages().dropFirst().first)))

        let human = Array("From: fine@example.org\r\nSubject: thanks\r\n\r\nThank you for the newsletter!\r\n".utf8)
        let dsn = try Self.build(["dsn", "--to", "bounces@news.example.org", "--recipient", "gone@example.org"])
        let garbage = Array("this is not an email at all\r\n".utf8)
        let arf = try Self.build([
            "arf", "--to", "bounces@news.example.org", "--recipient", "angry@example.org", "--original", original,
        ])
        let uids = try imap.append([human, dsn, garbage, arf])
        #expect(uids.count == 4)

        try d.start()
        defer { d.stop() }
        try TestSupport.waitFor("the DSN and the complaint in Processed", seconds: 60) {
            (try imap.folders()["Processed"]?.count ?? 0) == 2
        }
        try TestSupport.waitFor("the log to name the unparseable message's UID") {
            d.log.contains("IMAP UID \(uids[2]) cannot be parsed")
        }
        let folders = try imap.folders()
        #expect(folders["Processed"]?.allSatisfy(\.seen) == true, "\(folders)")
        let inbox = folders["INBOX"] ?? []
        #expect(inbox.map(\.uid) == [uids[0], uids[2]], "the human mail and the unparseable one stay: \(inbox)")
        #expect(inbox.allSatisfy { !$0.seen && !$0.deleted }, "\(inbox)")

        // What the pipeline did, seen through the CLI.
        let suppressed = try JSON.parse(try d.cli(["suppressions", "list", "--json"]).stdout).arrayValue ?? []
        let reasons = Dictionary(
            uniqueKeysWithValues: suppressed.compactMap { s in
                s["address"]?.stringValue.map { ($0, s["reason"]?.stringValue ?? "") }
            })
        #expect(reasons == ["gone@example.org": "bounce", "angry@example.org": "complaint"], "\(suppressed)")

        // Polls go on: the human mail is looked at once, the unparseable message logged once.
        let polls = d.log.components(separatedBy: "is not a bounce").count - 1
        let logins = imap.log.components(separatedBy: "Login: user=<bounces>").count
        try TestSupport.waitFor("three more polls (Dovecot logs each login)") {
            imap.log.components(separatedBy: "Login: user=<bounces>").count >= logins + 3
        }
        #expect(d.log.components(separatedBy: "is not a bounce").count - 1 == polls)
        #expect(d.log.components(separatedBy: "IMAP UID \(uids[2]) cannot be parsed").count == 2)
        #expect(!d.log.contains(imap.password))
        #expect(d.stop().status == 0)
    }

    /// The mailbox is down when the daemon starts: it starts anyway, says so once, and reads the
    /// mailbox once the server is there.
    @Test func aMailboxThatIsDownIsLoggedOnceAndReadWhenItComesBack() throws {
        let smtp = try SMTPServer()
        let port = TestSupport.freePort()
        let password = "pw-" + UUID().uuidString.prefix(12)
        let d = try Self.daemon(smtpPort: smtp.port, imapPort: port, password: String(password))
        #expect(try d.cli(["send", "note", "--to", "gone@example.org", "--channel", "mail"]).status == 0)
        try d.start()
        defer { d.stop() }
        try TestSupport.waitFor("the outage in the log") { d.log.contains("cannot be read: cannot reach 127.0.0.1") }
        #expect(try d.send(["method": "GET", "path": "/healthz"]).status == 200)

        let imap = try DovecotServer(port: port, password: String(password))
        defer { imap.stop() }
        _ = try imap.append([
            try Self.build(["dsn", "--to", "bounces@news.example.org", "--recipient", "gone@example.org"])
        ])
        // The retries wait longer each time (1 s, 2 s, 4 s … after poll = "1s").
        try TestSupport.waitFor("the DSN in Processed", seconds: 90) {
            (try imap.folders()["Processed"]?.count ?? 0) == 1
        }
        #expect(d.log.components(separatedBy: "cannot be read").count == 2, "\(d.log)")
        #expect(d.log.contains("can be read again"))
        #expect(!d.log.contains(password))

        // The mailbox is read as set at start: SIGHUP says a change needs a restart.
        let config = try String(contentsOfFile: d.configPath, encoding: .utf8)
        try config.replacingOccurrences(of: "poll = \"1s\"", with: "poll = \"2s\"").write(
            toFile: d.configPath, atomically: true, encoding: .utf8)
        kill(d.pid, SIGHUP)
        try TestSupport.waitFor("the reload") { d.log.contains("reloaded the configuration") }
        #expect(d.log.contains("[bounces] mailbox settings changed; restart outreachd to apply that"))
    }

    @Test func checkNamesEachMistakeInOneSentenceAndProbeLogsIn() throws {
        let smtp = try SMTPServer()
        let imap = try DovecotServer()
        defer { imap.stop() }
        let good = try Self.daemon(smtpPort: smtp.port, imapPort: imap.port, password: imap.password)
        let ok = try good.cli(["check", "--probe"])
        #expect(ok.status == 0, "\(ok.stderr)")

        let wrong = try Self.daemon(smtpPort: smtp.port, imapPort: imap.port, password: "not-the-password")
        let refused = try wrong.cli(["check", "--probe"])
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains("[bounces] cannot read the mailbox imap://bounces@127.0.0.1:\(imap.port)/INBOX"))
        #expect(!refused.stderr.contains("not-the-password"), "\(refused.stderr)")

        for (setting, sentence) in [
            (
                "proccessed_folder = \"Done\"",
                "'proccessed_folder' is not a setting of [bounces] (did you mean 'processed_folder'?)"
            ),
            ("poll = \"fast\"", "'poll' must be a duration from 1s to 1d, like 60s"),
            ("processed_folder = \"INBOX\"", "'processed_folder' must differ from the mailbox read (INBOX)"),
        ] {
            let bad = try Self.daemon(smtpPort: smtp.port, imapPort: imap.port, password: "x", bounces: setting)
            let r = try bad.cli(["check"])
            #expect(r.status == 1 && r.stderr.contains(sentence), "\(setting): \(r.stderr)")
            #expect(r.stderr.contains("1 problem found."), "\(r.stderr)")
            // serve refuses it too, in the same words, and exits.
            let serve = try TestSupport.run(
                "timeout", ["30", TestSupport.outreachd, "--config", bad.configPath, "serve"])
            #expect(serve.status != 0 && serve.stderr.contains(sentence), "\(serve.stderr)")
        }
    }
}
