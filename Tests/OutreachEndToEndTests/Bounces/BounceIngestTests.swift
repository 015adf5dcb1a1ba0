import Foundation
import Testing

@testable import Outreach

/// Issue 17, what a bounce does, end to end: a campaign goes out through a real SMTP server
/// (aiosmtpd) with VERP envelope senders; DSNs and a complaint built with Python's `email` package,
/// and one written by a real Postfix, are fed to `outreachd bounces ingest`; what it did is read
/// back with the CLI and the sqlite3 shell.
@Suite(.serialized) struct BounceIngestTests {
    struct Setup {
        var dir: String
        var config: String
        var db: String { dir + "/data/outreach.db" }

        func o(_ a: [String], stdin: [UInt8]? = nil) throws -> TestSupport.ProcessResult {
            try TestSupport.outreachd(["--config", config] + a, stdin: stdin)
        }

        /// Every delivery, by address then id.
        func deliveries() throws -> [JSON] {
            try JSON.parse(try o(["queue", "list", "--json", "--limit", "1000"]).stdout).arrayValue ?? []
        }

        func delivery(_ id: Int) throws -> JSON? { try deliveries().first { $0["id"]?.intValue == id } }

        /// A returned message built by Tests/peers/bounce_build.py, written to a file.
        func build(_ name: String, _ args: [String]) throws -> String {
            let r = try TestSupport.run("python3", [TestSupport.packageRoot + "/Tests/peers/bounce_build.py"] + args)
            #expect(r.status == 0, "\(r.stderr)")
            let path = dir + "/" + name
            _ = FileManager.default.createFile(atPath: path, contents: Data(r.stdoutBytes))
            return path
        }

        func ingest(_ files: [String], stdin: [UInt8]? = nil) throws -> (status: Int32, results: [JSON], stderr: String)
        {
            let r = try o(["bounces", "ingest", "--json"] + files, stdin: stdin)
            let lines = r.stdout.split(separator: "\n").compactMap { try? JSON.parse(String($0)) }
            return (r.status, lines.flatMap { $0["results"]?.arrayValue ?? [] }, r.stderr)
        }
    }

    /// An SMTP channel `mail` to `port` with `bounce_address`, and a template `note`.
    func setUp(smtpPort: Int, label: String = "bounces") throws -> Setup {
        let (dir, config) = try CrashTests.setUp(label)
        try ("\n" + Self.mailChannel(smtpPort: smtpPort)).appendLine(toFile: config)
        return Setup(dir: dir, config: config)
    }

    /// `[sender] from` and an SMTP channel `mail` to `smtpPort` with `bounce_address`.
    static func mailChannel(smtpPort: Int) -> String {
        """
        [sender]
        from = "News <news@example.org>"

        [channels.mail]
        type = "smtp"
        url = "smtp://127.0.0.1:\(smtpPort)"
        tls = "none"
        bounce_address = "bounces@news.example.org"
        """
    }

    /// The VERP envelope senders aiosmtpd saw, by recipient, with the message's bytes.
    static func received(_ server: SMTPServer) -> [String: (from: String, bytes: [UInt8])] {
        var out: [String: (String, [UInt8])] = [:]
        for (i, m) in server.messages().enumerated() {
            guard let e = server.envelope(i + 1), let to = e["rcpt_tos"]?.arrayValue?.first?.stringValue else {
                continue
            }
            out[to] = (e["mail_from"]?.stringValue ?? "", m)
        }
        return out
    }

    @Test func aCampaignsBouncesAndComplaintsAreAppliedOnce() throws {
        let server = try SMTPServer()
        let s = try setUp(smtpPort: server.port)
        for list in ["news", "events"] { #expect(try s.o(["lists", "create", list]).status == 0) }
        let people = ["a@example.org", "b@example.org", "c@example.org"]
        #expect(try s.o(["lists", "subscribe", "news"] + people).status == 0)
        #expect(try s.o(["lists", "subscribe", "events", "b@example.org"]).status == 0)
        #expect(
            try s.o(["campaigns", "create", "n1", "--template", "note", "--list", "news", "--channel", "mail"]).status
                == 0)
        #expect(try s.o(["campaigns", "start", "n1"]).status == 0)
        #expect(try s.o(["work", "--until-idle"]).status == 0)
        let sent = try s.deliveries()
        let id = Dictionary(uniqueKeysWithValues: sent.map { ($0["address"]!.stringValue!, $0["id"]!.intValue!) })
        #expect(sent.count == 3 && sent.allSatisfy { $0["state"] == "sent" })

        // Each message went out with its own VERP envelope sender, and names its delivery in a header.
        let got = Self.received(server)
        #expect(got.count == 3)
        for p in people {
            let m = try #require(got[p])
            #expect(m.from.hasPrefix("bounces+") && m.from.hasSuffix("@news.example.org"), "\(m.from)")
            let header = try TestSupport.python(
                "import email,sys; print(email.message_from_bytes(sys.stdin.buffer.read())['X-Outreach-Delivery'])",
                stdin: m.bytes)
            #expect(header.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == String(id[p]!))
        }
        #expect(Set(got.values.map(\.from)).count == 3)
        // Mail still waiting for a@: a bounce that suppresses the address cancels it.
        #expect(try s.o(["send", "note", "--to", "a@example.org", "--channel", "mail", "--queue-only"]).status == 0)

        // A DSN to a@'s VERP address that names another recipient (an alias the relay expanded) and
        // returns nothing of the message: only the token can attribute it.
        let dsn = try s.build(
            "a.eml",
            ["dsn", "--to", got["a@example.org"]!.from, "--recipient", "a.old@example.org", "--status", "5.1.1"])
        let first = try s.ingest([dsn])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.results.first?["delivery"]?.intValue == id["a@example.org"])
        #expect(first.results.first?["action"] == "suppressed")
        let a = try #require(try s.delivery(id["a@example.org"]!))
        #expect(a["state"] == "bounced")
        #expect(a["last_error"]?.stringValue?.hasPrefix("hard bounce 5.1.1: smtp; 550 5.1.1") == true)
        let pending = try s.deliveries().filter {
            $0["address"] == "a@example.org" && $0["id"]?.intValue != id["a@example.org"]
        }
        #expect(pending.map { $0["state"] } == ["cancelled"] && pending.first?["cancel_reason"] == "suppressed")
        let shown = try JSON.parse(try s.o(["suppressions", "show", "a@example.org", "--json"]).stdout)
        #expect(shown["suppression"]?["reason"] == "bounce" && shown["bounces"]?.arrayValue?.count == 1)

        // The same message again, through standard input as pipe(8) hands it: nothing more.
        let again = try s.ingest(["-"], stdin: Array(try Data(contentsOf: URL(fileURLWithPath: dsn))))
        #expect(again.status == 0 && again.results.first?["action"] == "duplicate")
        #expect(try CrashTests.count(s.db, "SELECT COUNT(*) FROM bounces") == 1)
        #expect(try CrashTests.count(s.db, "SELECT COUNT(*) FROM bounce_scores WHERE score = 1.0") == 1)

        // A feedback loop's complaint about b@, with the original message attached.
        let original = s.dir + "/b-original.eml"
        _ = FileManager.default.createFile(atPath: original, contents: Data(got["b@example.org"]!.bytes))
        let arf = try s.build(
            "b.eml", ["arf", "--to", "fbl@news.example.org", "--recipient", "b@example.org", "--original", original])
        let complaint = try s.ingest([arf])
        #expect(complaint.status == 0 && complaint.results.first?["action"] == "suppressed", "\(complaint)")
        #expect(try s.delivery(id["b@example.org"]!)?["state"] == "complained")
        let export = try JSON.parse(try s.o(["contacts", "export", "b@example.org"]).stdout)
        #expect(export["memberships"]?.arrayValue?.count == 2)
        #expect(export["memberships"]?.arrayValue?.allSatisfy { $0["state"] == "unsubscribed" } == true)
        #expect(export["suppressions"]?.arrayValue?.first?["reason"] == "complaint")
        #expect(export["bounces"]?.arrayValue?.first?["kind"] == "complaint")

        // A forged token naming a@'s delivery, in a soft bounce about c@: the token is ignored, and
        // the recipient attributes it to c@'s delivery.
        let forged = "bounces+\(String(id["a@example.org"]!, radix: 36))-aaaaaaaaaa@news.example.org"
        let soft = try s.build(
            "c.eml",
            [
                "dsn", "--to", forged, "--recipient", "c@example.org", "--status", "4.2.2", "--diagnostic",
                "smtp; 452 4.2.2 mailbox full",
            ])
        let c = try s.ingest([soft])
        #expect(c.results.first?["delivery"]?.intValue == id["c@example.org"] && c.results.first?["action"] == "scored")
        #expect(
            try JSON.parse(try s.o(["suppressions", "show", "c@example.org", "--json"]).stdout)["score"]
                == .number("0.5"))

        let listed = try JSON.parse(try s.o(["bounces", "list", "--json"]).stdout).arrayValue ?? []
        #expect(listed.map { $0["kind"]?.stringValue ?? "" } == ["hard", "complaint", "soft"])
        #expect(try JSON.parse(try s.o(["bounces", "list", "--since", "2099-01-01", "--json"]).stdout) == .array([]))

        // Suppressions: the officer lifts a bounce with a reason, never the person's complaint.
        let suppressed = try JSON.parse(try s.o(["suppressions", "list", "--json"]).stdout).arrayValue ?? []
        #expect(Set(suppressed.compactMap { $0["address"]?.stringValue }) == ["a@example.org", "b@example.org"])
        let noReason = try s.o(["suppressions", "remove", "a@example.org"])
        #expect(noReason.status == 1 && noReason.stderr.contains("--reason"), "\(noReason.stderr)")
        #expect(try s.o(["suppressions", "remove", "a@example.org", "--reason", "the mailbox was fixed"]).status == 0)
        let theirs = try s.o(["suppressions", "remove", "b@example.org", "--reason", "looks fine"])
        #expect(theirs.status == 1 && theirs.stderr.contains("a no is final"), "\(theirs.stderr)")
        // An officer saying the person asked is not the person's opt-in: refused, still suppressed.
        let said = try s.o(["suppressions", "remove", "b@example.org", "--resubscribe", "--reason", "asked by phone"])
        #expect(said.status != 0, "\(said.stdout)")
        #expect(try s.o(["suppressions", "show", "b@example.org"]).stdout.contains("complaint"))
        let log = try JSON.parse(try s.o(["suppressions", "show", "a@example.org", "--json"]).stdout)
        #expect(log["suppression"] == .null && log["removals"]?.arrayValue?.first?["note"] == "the mailbox was fixed")
    }

    /// Issue 19 item 10: a hard bounce shows in `contacts show` (the suppression, score and bounce)
    /// and in `lists show` (members suppressed, by reason, and bounced lately), text and JSON.
    @Test func bouncesAndSuppressionsShowOnTheContactAndTheList() throws {
        let server = try SMTPServer()
        let s = try setUp(smtpPort: server.port, label: "bounces-shown")
        #expect(try s.o(["lists", "create", "news"]).status == 0)
        #expect(try s.o(["lists", "subscribe", "news", "d@example.org", "f@example.org"]).status == 0)
        #expect(try s.o(["send", "note", "--to", "d@example.org", "--channel", "mail"]).status == 0)
        let dsn = try s.build("d.eml", ["dsn", "--to", "bounces@news.example.org", "--recipient", "d@example.org"])
        #expect(try s.ingest([dsn]).results.first?["action"] == "suppressed")

        let contact = try s.o(["contacts", "show", "d@example.org"])
        #expect(contact.stdout.contains("suppressed: d@example.org (bounce) since"), "\(contact.stdout)")
        #expect(contact.stdout.contains("bounce score: d@example.org 1.0"), "\(contact.stdout)")
        #expect(contact.stdout.contains(" hard 5.1.1 suppressed"), "\(contact.stdout)")
        let cj = try JSON.parse(try s.o(["contacts", "show", "d@example.org", "--json"]).stdout)
        #expect(cj["suppressions"]?.arrayValue?.first?["reason"] == "bounce")
        #expect(cj["bounces"]?.arrayValue?.first?["status"] == "5.1.1")
        let other = try s.o(["contacts", "show", "f@example.org"])
        #expect(!other.stdout.contains("suppressed") && !other.stdout.contains("bounce"), "\(other.stdout)")

        let list = try s.o(["lists", "show", "news"])
        #expect(list.stdout.contains("suppressed: 1 (bounce 1)"), "\(list.stdout)")
        #expect(list.stdout.contains("bounced in the last 30 days: 1"), "\(list.stdout)")
        let lj = try JSON.parse(try s.o(["lists", "show", "news", "--json"]).stdout)
        #expect(lj["deliverability"]?["suppressed"]?["bounce"] == 1)
        #expect(lj["deliverability"]?["bounced_recently"] == 1)
    }

    @Test func badMessagesAreNamedAndSkippedAndAnUnusableStoreAsksForARetry() throws {
        let server = try SMTPServer()
        let s = try setUp(smtpPort: server.port, label: "bounces-bad")
        #expect(try s.o(["send", "note", "--to", "d@example.org", "--channel", "mail"]).status == 0)
        let empty = s.dir + "/empty.eml"
        _ = FileManager.default.createFile(atPath: empty, contents: Data())
        let human = s.dir + "/human.eml"
        try "From: d@example.org\r\nSubject: thanks\r\n\r\nThank you for the newsletter!\r\n".write(
            toFile: human, atomically: true, encoding: .utf8)
        let dsn = try s.build("d.eml", ["dsn", "--to", "bounces@news.example.org", "--recipient", "d@example.org"])
        // A maildir folder is read in new/ and cur/.
        let maildir = s.dir + "/Maildir"
        for sub in ["new", "cur", "tmp"] {
            try FileManager.default.createDirectory(atPath: maildir + "/" + sub, withIntermediateDirectories: true)
        }
        try FileManager.default.copyItem(atPath: human, toPath: maildir + "/cur/1.host:2,S")
        let r = try s.o(["bounces", "ingest", empty, human, maildir, dsn])
        #expect(r.status == 65, "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("empty.eml") && r.stderr.contains("Skipped"), "\(r.stderr)")
        #expect(r.stdout.contains("human.eml: not a bounce") && r.stdout.contains("cur/1.host:2,S: not a bounce"))
        #expect(r.stdout.contains("d@example.org hard 5.1.1") && r.stdout.contains(": suppressed"), "\(r.stdout)")
        #expect(try s.o(["suppressions", "show", "d@example.org"]).stdout.contains("suppressed (bounce)"))
        let missing = try s.o(["bounces", "ingest", s.dir + "/nowhere.eml"])
        #expect(missing.status == 66 && missing.stderr.contains("nowhere.eml"), "\(missing.stderr)")

        // The store cannot be opened: 75, so Postfix's pipe(8) keeps the message and tries again.
        try "\n[storage]\nurl = \"mysql://db/outreach\"\n".appendLine(toFile: s.config)
        let down = try s.o(["bounces", "ingest", dsn])
        #expect(down.status == 75 && down.stderr.contains("Nothing was applied"), "\(down.stderr)")
    }

    /// `check` says what is wrong with `bounce_address` and `[bounces] threshold`, one sentence each.
    @Test func checkRefusesABadBounceAddressAndThreshold() throws {
        let (dir, config) = try CrashTests.setUp("bounces-check")
        try """

        [bounces]
        threshold = 0.1

        [channels.mail]
        type = "smtp"
        url = "smtp://127.0.0.1:25"
        bounce_address = "Bounces <bounces@news.example.org>"
        """.appendLine(toFile: config)
        let r = try TestSupport.outreachd(["--config", config, "check"])
        #expect(r.status == 1)
        #expect(
            r.stderr.contains("'bounce_address' must be an email address like bounces@news.example.org"), "\(r.stderr)")
        #expect(r.stderr.contains("'threshold' must be a number from 0.5 to 1000"), "\(r.stderr)")
        #expect(r.stderr.contains("2 problems found."), "\(r.stderr) \(dir)")
    }

    /// A 5xx to RCPT during the session goes through the same rules: a full mailbox is scored, not
    /// suppressed (it used to suppress at once).
    @Test func aRefusedRecipientDuringTheSessionIsScored() throws {
        let server = try SMTPServer(rejectRecipients: ["full@example.org": "550 5.2.2 <full@example.org>: mailbox full"]
        )
        let s = try setUp(smtpPort: server.port, label: "bounces-session")
        _ = try s.o(["send", "note", "--to", "full@example.org", "--channel", "mail"])
        #expect(try s.deliveries().first?["state"] == "dead")
        let b = try JSON.parse(try s.o(["bounces", "list", "--json"]).stdout).arrayValue ?? []
        #expect(b.count == 1 && b.first?["source"] == "SMTP session" && b.first?["kind"] == "soft")
        #expect(b.first?["action"] == "scored" && b.first?["status"] == "5.2.2")
        #expect(try CrashTests.count(s.db, "SELECT COUNT(*) FROM suppressions") == 0)
    }

    /// A delivery status notification written by a real Postfix: Outreach hands a message to a
    /// throwaway Postfix, whose relay refuses the recipient with 550 5.1.1; Postfix mails its DSN to
    /// the VERP envelope sender, which a second SMTP peer keeps; `bounces ingest` applies it.
    @Test func aDSNWrittenByPostfixIsAttributedByItsVERPAddress() throws {
        let refusing = try SMTPServer(rejectRecipients: [
            "gone@example.org": "550 5.1.1 <gone@example.org>: Recipient address rejected: User unknown"
        ])
        let bounces = try SMTPServer()
        let postfix = try PostfixInstance(
            relay: refusing.port, bounceRelay: bounces.port, bounceDomain: "news.example.org")
        let s = try setUp(smtpPort: postfix.port, label: "bounces-postfix")
        let send = try s.o(["send", "note", "--to", "gone@example.org", "--to", "ok@example.org", "--channel", "mail"])
        #expect(send.status == 0, "\(send.stderr)")
        let sent = try s.deliveries()
        #expect(sent.count == 2 && sent.allSatisfy { $0["state"] == "sent" }, "Postfix takes both: \(sent)")
        try TestSupport.waitFor("Postfix's DSN at the bounce peer\n\(postfix.log)") { bounces.messages().count == 1 }
        #expect(refusing.messages().count == 1)
        let envelope = try #require(bounces.envelope(1))
        #expect(envelope["mail_from"] == "<>")
        let to = try #require(envelope["rcpt_tos"]?.arrayValue?.first?.stringValue)
        #expect(to.hasPrefix("bounces+") && to.hasSuffix("@news.example.org"), "\(to)")
        let dsn = s.dir + "/postfix-dsn.eml"
        _ = FileManager.default.createFile(atPath: dsn, contents: Data(bounces.messages()[0]))
        #expect(String(decoding: bounces.messages()[0], as: UTF8.self).contains("X-Postfix-Queue-ID"))

        let gone = try #require(sent.first { $0["address"] == "gone@example.org" }?["id"]?.intValue)
        let r = try s.ingest([dsn])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.results.count == 1 && r.results.first?["delivery"]?.intValue == gone, "\(r.results)")
        #expect(r.results.first?["status"] == "5.1.1" && r.results.first?["action"] == "suppressed")
        #expect(try s.delivery(gone)?["state"] == "bounced")
        #expect(try CrashTests.count(s.db, "SELECT COUNT(*) FROM suppressions WHERE address = 'gone@example.org'") == 1)
        #expect(try s.deliveries().first { $0["address"] == "ok@example.org" }?["state"] == "sent")
    }
}
