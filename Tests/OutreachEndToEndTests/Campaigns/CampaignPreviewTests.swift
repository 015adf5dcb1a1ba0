import Foundation
import Testing

@testable import Outreach

/// Issue 19.1: who a campaign reaches before it starts (`campaigns preview`), the real message to
/// one address (`campaigns test`), and `send --attach` — through the real binary, what arrives read
/// by Python's `email` and dkimpy.
@Suite struct CampaignPreviewTests {
    func o(_ config: String, _ a: [String]) throws -> TestSupport.ProcessResult {
        try TestSupport.outreachd(["--config", config] + a)
    }

    /// CrashTests' setup with an SMS outbox (`sms`), German and SMS variants of `note`, and a list
    /// `news`: four reachable by email (de, de-AT, sv, no language), one by phone only, one who
    /// left, one whose address bounced.
    func setUpAudience(_ label: String) throws -> (dir: String, config: String) {
        let (dir, config) = try CrashTests.setUp(label)
        try "---\nsubject: Hallo {{contact.name}}\n---\nHallo {{contact.name}}\n".write(
            toFile: dir + "/templates/note/email.de.txt", atomically: true, encoding: .utf8)
        try "Hi {{contact.name}} by SMS\n".write(
            toFile: dir + "/templates/note/sms.en.txt", atomically: true, encoding: .utf8)
        try "\n[channels.sms]\ntype = \"outbox\"\nkind = \"sms\"\ndir = \"sms\"\n".appendLine(toFile: config)
        try """
        email,phone,name,locale
        anna@example.de,+4915112345678,Anna,de
        bernd@example.at,,Bernd,de-AT
        sven@example.se,,Sven,sv
        enzo@example.it,,Enzo,
        ,+4520000001,Pia,da
        ulla@example.dk,,Ulla,da
        gone@example.org,,Gone,en
        """.write(toFile: dir + "/people.csv", atomically: true, encoding: .utf8)
        #expect(try o(config, ["lists", "create", "news"]).status == 0)
        let imported = try o(config, ["contacts", "import", dir + "/people.csv", "--list", "news"])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(try o(config, ["lists", "unsubscribe", "news", "ulla@example.dk"]).status == 0)
        let suppress = try TestSupport.run(
            "sqlite3",
            [
                dir + "/data/outreach.db",
                "INSERT INTO suppressions(address, reason, created_at) VALUES('gone@example.org', 'bounce', 0)",
            ])
        #expect(suppress.status == 0, "\(suppress.stderr)")
        let create = try o(
            config,
            [
                "campaigns", "create", "march", "--template", "note", "--list", "news", "--channel", "outbox",
                "--channel",
                "sms",
            ])
        #expect(create.status == 0, "\(create.stderr)")
        return (dir, config)
    }

    /// The preview counts per channel and language, says who is left out and why, renders one
    /// message as it will be sent — and `start` then queues exactly what it counted.
    @Test func aPreviewCountsWhatTheStartThenQueues() throws {
        let (dir, config) = try setUpAudience("preview")
        let r = try o(config, ["campaigns", "preview", "march", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let p = try JSON.parse(r.stdout)
        #expect(p["members"] == JSON(6) && p["unsubscribed"] == JSON(1), "\(p)")
        let channels = p["channels"]?.arrayValue ?? []
        #expect(channels.map { $0["name"] } == ["outbox", "sms"], "\(p)")
        let mail = channels.first ?? .null
        #expect(mail["recipients"] == JSON(4) && mail["suppressed"] == JSON(1) && mail["no_address"] == JSON(1))
        #expect(mail["suppressed_reasons"] == ["bounce": 1], "\(mail)")
        let locales = (mail["locales"]?.arrayValue ?? []).map {
            "\($0["locale"]?.stringValue ?? "-"):\($0["count"]?.intValue ?? -1):\($0["renders_in"]?.stringValue ?? "?")"
        }
        #expect(locales == ["-:1:en", "de:1:de", "de-AT:1:de", "sv:1:en"], "\(mail)")
        let sms = channels.last ?? .null
        #expect(sms["recipients"] == JSON(2) && sms["no_address"] == JSON(4), "\(sms)")
        #expect(p["total"] == ["recipients": 6, "suppressed": 1, "no_address": 5], "\(p)")
        // One message per channel, rendered for the first recipient.
        let sample = p["samples"]?.arrayValue ?? []
        #expect(sample.first?["to"] == "anna@example.de" && sample.first?["subject"] == "Hallo Anna", "\(sample)")
        let headers = sample.first?["headers"]?.stringValue ?? ""
        #expect(headers.contains("List-Unsubscribe: <http") && headers.contains("Subject: Hallo Anna"), "\(headers)")
        #expect(sample.last?["text"]?.stringValue?.contains("by SMS") == true, "\(sample)")

        // The text form says the same to the officer.
        let text = try o(config, ["campaigns", "preview", "march", "--contact", "bernd@example.at"])
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("outbox (email): 4 recipients"), "\(text.stdout)")
        #expect(text.stdout.contains("1 suppressed (bounce: 1)"), "\(text.stdout)")
        #expect(text.stdout.contains("1 without an email address"), "\(text.stdout)")
        #expect(text.stdout.contains("1 unsubscribed"), "\(text.stdout)")
        #expect(text.stdout.contains("To: Bernd <bernd@example.at>") && text.stdout.contains("Hallo Bernd"))
        let english = try o(config, ["campaigns", "preview", "march", "--locale", "en", "--json"])
        #expect(
            (try JSON.parse(english.stdout))["samples"]?.arrayValue?.first?["subject"] == "Hello Anna",
            "\(english.stdout)")
        #expect(try CrashTests.count(dir + "/data/outreach.db", "SELECT COUNT(*) FROM deliveries") == 0)

        let start = try JSON.parse(try o(config, ["campaigns", "start", "march", "--json"]).stdout)
        #expect(start == ["queued": 6, "suppressed": 1, "no_address": 5], "\(start)")
        let unknown = try o(config, ["campaigns", "preview", "april"])
        #expect(unknown.status == 1 && unknown.stderr.contains("no campaign named 'april'"), "\(unknown.stderr)")
    }

    /// A config whose `email` channel is `server`, signing with a new Ed25519 key, on the starter
    /// templates; a list `news` of two and the newsletter campaign `spring` with a PDF attached.
    func setUpNewsletter(_ server: SMTPServer, _ label: String) throws -> (dir: String, config: String, record: String)
    {
        let dir = TestSupport.temporaryDirectory(label)
        let (pem, record) = try DKIMSignerTests.key("ed25519")
        try pem.write(toFile: dir + "/k.pem", atomically: true, encoding: .utf8)
        let config = try Self.smtpConfig(
            dir, server,
            channel: "dkim_domain = \"example.org\"\ndkim_selector = \"sel\"\ndkim_key_file = \"\(dir)/k.pem\"")
        try "email,name,locale\nanna@example.de,Anna,da\nsven@example.se,Sven,en\n".write(
            toFile: dir + "/people.csv", atomically: true, encoding: .utf8)
        try #"{"title": "Spring news", "intro": "What we did.", "organisation": "Erasmus Office", "items": []}"#
            .write(toFile: dir + "/data.json", atomically: true, encoding: .utf8)
        try Data((0..<3000).map { UInt8($0 % 251) }).write(to: URL(fileURLWithPath: dir + "/brochure.pdf"))
        #expect(try o(config, ["lists", "create", "news"]).status == 0)
        #expect(try o(config, ["contacts", "import", dir + "/people.csv", "--list", "news"]).status == 0)
        let create = try o(
            config,
            [
                "campaigns", "create", "spring", "--template", "newsletter", "--list", "news", "--channel", "email",
                "--attach", dir + "/brochure.pdf", "--data", dir + "/data.json",
            ])
        #expect(create.status == 0, "\(create.stderr)")
        return (dir, config, record)
    }

    /// `DIR/outreachd.conf` on the starter templates, sending from the Erasmus Office through
    /// `server` (channel `email`, with `channel` lines added to its section).
    static func smtpConfig(_ dir: String, _ server: SMTPServer, channel: String = "") throws -> String {
        let config = dir + "/outreachd.conf"
        try """
        data_dir = "\(dir)/data"
        templates_dir = "\(TestSupport.packageRoot)/templates"

        [sender]
        from = "Erasmus Office <office@example.org>"

        [channels.email]
        type = "smtp"
        url = "smtp://127.0.0.1:\(server.port)"
        tls = "none"
        \(channel)
        """.write(toFile: config, atomically: true, encoding: .utf8)
        return config
    }

    /// Python's `email` reading of a received message, and dkimpy's verdict on its signature.
    func read(_ message: [UInt8], record: String) throws -> (parsed: JSON, dkim: String) {
        let v = try TestSupport.python(
            """
            import sys, dkim
            rec = sys.argv[1].encode()
            print("verified" if dkim.verify(sys.stdin.buffer.read(), dnsfunc=lambda n, timeout=5: rec) else "failed")
            """, [record], stdin: message)
        return (try MIMEBuilderTests.parse(message), v.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// `campaigns test` sends the campaign's real message — footer, unsubscribe link and headers,
    /// attachment, DKIM — to one address, marked `[Test]`, and the campaign counts none of it.
    @Test func aTestSendIsTheRealMessageToOneAddressAndIsNotCounted() throws {
        let server = try SMTPServer()
        let (dir, config, record) = try setUpNewsletter(server, "camptest")
        let t = try o(config, ["campaigns", "test", "spring", "--to", "me@example.org", "--locale", "da"])
        #expect(t.status == 0, "\(t.stdout) \(t.stderr)")
        #expect(t.stdout.contains("me@example.org"), "\(t.stdout)")
        try TestSupport.waitFor("the test message at the server") { server.messages().count == 1 }
        let (m, dkim) = try read(server.messages()[0], record: record)
        #expect(dkim == "verified")
        #expect(m["subject"] == "[Test] Spring news", "\(m)")
        #expect(m["to"] == [["", "me@example.org"]], "\(m)")
        let headers = m["headers"] ?? .null
        #expect(headers["List-Unsubscribe"]?.stringValue?.hasPrefix("<http") == true, "\(headers)")
        #expect(headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
        let parts = m["parts"]?.arrayValue ?? []
        let text = parts.first { $0["type"] == "text/plain" }?["text"]?.stringValue ?? ""
        #expect(text.contains("Afmeld: http"), "the Danish footer: \(text)")
        let pdf = parts.first { $0["filename"] == "brochure.pdf" }
        let expected = try TestSupport.run("sha256sum", [dir + "/brochure.pdf"]).stdout.prefix(64)
        #expect(pdf?["sha256"]?.stringValue == String(expected) && pdf?["type"] == "application/pdf", "\(parts)")
        #expect(server.envelope(1)?["rcpt_tos"] == ["me@example.org"], "\(String(describing: server.envelope(1)))")

        // Not counted: the campaign is still a draft with no deliveries; started, it sends its two.
        let before = try JSON.parse(try o(config, ["campaigns", "status", "spring", "--json"]).stdout)
        #expect(before["state"] == "draft" && before["total"] == JSON(0), "\(before)")
        #expect(try o(config, ["campaigns", "start", "spring"]).status == 0)
        #expect(try o(config, ["work", "--until-idle"]).status == 0)
        try TestSupport.waitFor("the campaign's two messages") { server.messages().count == 3 }
        let after = try JSON.parse(try o(config, ["campaigns", "status", "spring", "--json"]).stdout)
        #expect(after["state"] == "finished" && after["total"] == JSON(2) && after["sent"] == JSON(2), "\(after)")
        let report = try o(config, ["campaigns", "report", "spring", "--json"])
        #expect(!report.stdout.contains("me@example.org"), "\(report.stdout)")
        let real = try MIMEBuilderTests.parse(server.messages()[1])
        #expect(real["subject"] == "Spring news", "\(real)")

        // A test to someone on no list and with no address for the channel is refused with a sentence.
        let phone = try o(config, ["campaigns", "test", "spring", "--to", "+4520000001"])
        #expect(phone.status != 0 && phone.stderr.contains("email"), "\(phone.stderr)")
    }

    /// `send --attach` puts the file in the email; too large, or on a channel that is not email,
    /// it is refused with a sentence and nothing is queued. `campaigns create` keeps the same limit.
    @Test func sendAttachesFilesToEmailOnly() throws {
        let server = try SMTPServer()
        let (dir, config, _) = try setUpNewsletter(server, "sendattach")
        try "\n[channels.sms]\ntype = \"outbox\"\nkind = \"sms\"\ndir = \"sms\"\n".appendLine(toFile: config)
        let sent = try o(
            config,
            [
                "send", "welcome", "--to", "anna@example.de", "--channel", "email", "--attach",
                dir + "/brochure.pdf", "--data", dir + "/data.json",
            ])
        #expect(sent.status == 0, "\(sent.stdout) \(sent.stderr)")
        try TestSupport.waitFor("the message at the server") { server.messages().count == 1 }
        let parts = try MIMEBuilderTests.parse(server.messages()[0])["parts"]?.arrayValue ?? []
        #expect(parts.contains { $0["filename"] == "brochure.pdf" && $0["size"] == JSON(3000) }, "\(parts)")

        let db = dir + "/data/outreach.db"
        let before = try CrashTests.count(db, "SELECT COUNT(*) FROM deliveries")
        let sms = try o(
            config, ["send", "welcome", "--to", "+4520000001", "--channel", "sms", "--attach", dir + "/brochure.pdf"])
        #expect(sms.status != 0, "\(sms.stdout)")
        #expect(sms.stderr.contains("--attach") && sms.stderr.contains("only email"), "\(sms.stderr)")
        let big = dir + "/big.pdf"
        #expect(FileManager.default.createFile(atPath: big, contents: nil))
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: big))
        try h.truncate(atOffset: 11 * 1024 * 1024)
        try h.close()
        let tooBig = try o(config, ["send", "welcome", "--to", "anna@example.de", "--attach", big])
        #expect(tooBig.status == 1, "\(tooBig.stdout)")
        #expect(tooBig.stderr.contains("10 MB"), "\(tooBig.stderr)")
        let missing = try o(config, ["send", "welcome", "--to", "anna@example.de", "--attach", dir + "/nope.pdf"])
        #expect(missing.status == 1 && missing.stderr.contains("nope.pdf"), "\(missing.stderr)")
        #expect(try CrashTests.count(db, "SELECT COUNT(*) FROM deliveries") == before)
        let campaign = try o(
            config,
            [
                "campaigns", "create", "big", "--template", "newsletter", "--list", "news", "--channel", "email",
                "--attach", big,
            ])
        #expect(campaign.status == 1 && campaign.stderr.contains("10 MB"), "\(campaign.stderr)")
    }
}
