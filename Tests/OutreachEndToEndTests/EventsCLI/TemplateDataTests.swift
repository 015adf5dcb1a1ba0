import Foundation
import Testing
@testable import Outreach

/// Issue 18 item 2, through the real binary: template data on events (`--data`) and lists, the
/// organisation-wide `[sender]` values every template sees, in the order message data > event or
/// list data > `[sender]`; `check` warning about a value nothing gives; the README's welcome.
/// Mail is read with Python's email (`Tests/peers/eventcli_eml.py`).
@Suite(.serialized) struct TemplateDataTests {
    typealias Setup = EventsCLITests.Setup

    /// A data folder with the starter templates, `[sender]` as given, an outbox for email and one
    /// for SMS (`texts`).
    static func setUp(_ label: String, sender: String) throws -> Setup {
        let dir = TestSupport.temporaryDirectory(label)
        let config = dir + "/outreachd.conf"
        try """
        data_dir = "\(dir)/data"
        templates_dir = "\(TestSupport.packageRoot)/templates"
        [sender]
        \(sender)
        [channels.outbox]
        type = "outbox"
        dir = "outbox"
        [channels.texts]
        type = "outbox"
        dir = "sms"
        kind = "sms"

        """.write(toFile: config, atomically: true, encoding: .utf8)
        return Setup(dir: dir, config: config)
    }

    /// The texts of the SMS outbox, oldest first, by recipient.
    static func texts(_ s: Setup) throws -> [(to: String, text: String)] {
        let dir = s.dir + "/data/sms"
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".txt") }
            .sorted { Int($0.dropLast(4)) ?? 0 < Int($1.dropLast(4)) ?? 0 }
        return try files.map { f in
            let raw = try String(contentsOfFile: dir + "/" + f, encoding: .utf8)
            let parts = raw.components(separatedBy: "\n\n")
            return (String(parts[0].dropFirst("To: ".count)), parts.dropFirst().joined(separator: "\n\n"))
        }
    }

    static func write(_ s: Setup, _ name: String, _ json: String) throws -> String {
        let path = s.dir + "/" + name
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static let sender = """
        from = "venner@sprogcenter.example"
        organisation = "Sprogcenter Aarhus"
        website = "https://sprogcenter.example"
        postal_address = "Vesterbrogade 1, 8000 Aarhus C"
        """

    /// An event's `--data` reaches its invitation and reminders, by email and SMS, and the
    /// `[sender]` values sign them: no SMS opens with a blank, no reminder ends in a space.
    /// Failed before: `events create --data` was an unknown option, and `organisation` was blank.
    @Test func eventDataAndTheSenderDefaultsReachEveryMessage() throws {
        let s = try Self.setUp("td-event", sender: Self.sender)
        try s.ok(["lists", "create", "club"])
        try s.ok(["contacts", "add", "--email", "ana@example.org", "--name", "Ana", "--locale", "da", "--list", "club"])
        try s.ok(["contacts", "add", "--phone", "+4520304050", "--name", "Farid", "--locale", "en", "--list", "club"])
        let data = try Self.write(
            s, "dinner.json",
            #"{"description": "We cook and eat together.", "rsvp_url": "https://sprogcenter.example/rsvp/7", "note": "Bring a dish if you like."}"#
        )
        let created = try s.json([
            "events", "create", "dinner", "--start", EventsCLITests.futureStart, "--tz", "Europe/Copenhagen",
            "--duration", "2h", "--list", "club", "--title", "Dinner club", "--location", "Folkets Hus",
            "--remind", "-1d", "--channel", "outbox", "--channel", "texts", "--data", data,
        ])
        #expect(created["data"]?["rsvp_url"]?.stringValue == "https://sprogcenter.example/rsvp/7")
        _ = try s.json(["work", "--until-idle"])

        let mail = try #require(try s.emails().first)
        let text = mail["text"]?.stringValue ?? ""
        #expect(text.contains("We cook and eat together."), "\(text)")
        #expect(text.contains("https://sprogcenter.example/rsvp/7"))
        #expect(text.contains("Vi glæder os til at se dig!\nSprogcenter Aarhus\n"), "signed: \(text)")
        #expect(text.contains("Vesterbrogade 1, 8000 Aarhus C") && text.contains("https://sprogcenter.example\n"))
        #expect(mail["html"]?.stringValue?.contains("Sprogcenter Aarhus") == true)
        let sms = try #require(try Self.texts(s).first)
        #expect(sms.to == "+4520304050")
        #expect(sms.text.hasPrefix("Sprogcenter Aarhus invites you to Dinner club, "), "\(sms.text)")
        #expect(sms.text.contains("Reply here: https://sprogcenter.example/rsvp/7"))

        // The reminder, fanned out at its instant and made due now: its note, and the signature
        // without a stray space.
        let due = try EventsCLITests.fanOut(s, at: try EventsCLITests.reminderInstant(s, occurrence: 0))
        #expect(due.deliveries == 2)
        _ = try s.rows("UPDATE deliveries SET next_attempt_at = 0 WHERE state = 'queued'")
        _ = try s.json(["work", "--until-idle"])
        let reminder = try #require(try Self.texts(s).last)
        #expect(reminder.text.hasSuffix("See you there! Sprogcenter Aarhus"), "\(reminder.text)")
        #expect(try s.emails().last?["text"]?.stringValue?.contains("Bring a dish if you like.") == true)

        // `events update --data` replaces the data; what is not JSON, or not an object, is refused by name.
        let bad = try Self.write(s, "bad.json", "[1, 2]")
        let r = try TestSupport.outreachd(["--config", s.config, "events", "update", "dinner", "--data", bad])
        #expect(r.status == 1 && r.stderr.contains("bad.json") && r.stderr.contains("JSON object"), "\(r.stderr)")
        let changed = try s.json(["events", "update", "dinner", "--data", try Self.write(s, "new.json", "{}")])
        #expect(changed["data"] == .object([:]))
        #expect(changed["changes"]?["fields"]?.arrayValue?.compactMap(\.stringValue) == ["data"])
    }

    /// Message data wins over the list's, which wins over `[sender]`; a list's data changed after a
    /// message was queued is what that message shows.
    @Test func messageDataWinsOverListDataOverTheSenderDefaults() throws {
        let s = try Self.setUp("td-layers", sender: Self.sender)
        let listData = try Self.write(
            s, "list.json", #"{"organisation": "Madklubben", "about": "We cook on Thursdays."}"#)
        try s.ok(["lists", "create", "news", "--title", "Food news", "--data", listData])
        try s.ok(["contacts", "add", "--email", "bo@example.org", "--name", "Bo", "--locale", "en", "--list", "news"])
        let own = try Self.write(s, "campaign.json", #"{"organisation": "The kitchen team"}"#)
        try s.ok([
            "campaigns", "create", "hello", "--template", "welcome", "--list", "news", "--channel", "outbox",
            "--data", own,
        ])
        try s.ok(["campaigns", "create", "plain", "--template", "welcome", "--list", "news", "--channel", "outbox"])
        try s.ok(["campaigns", "start", "hello"])
        try s.ok(["campaigns", "start", "plain"])
        // Changed after the campaigns were queued: the messages show the list as it is when sent.
        try s.ok([
            "lists", "update", "news", "--data",
            try Self.write(s, "list2.json", #"{"organisation": "Madklubben", "about": "We cook on Fridays now."}"#),
        ])
        _ = try s.json(["work", "--until-idle"])
        let mails = try s.emails()
        #expect(mails.count == 2)
        for m in mails {
            #expect(m["subject"]?.stringValue == "Welcome to Food news", "\(m["subject"] ?? .null)")
            #expect(m["text"]?.stringValue?.contains("We cook on Fridays now.") == true)
        }
        let signed = mails.compactMap { $0["text"]?.stringValue }.map { t in
            ["The kitchen team", "Madklubben", "Sprogcenter Aarhus"].first { t.contains("Warm regards,\n\($0)\n") }
        }
        #expect(Set(signed.compactMap { $0 }) == ["The kitchen team", "Madklubben"], "\(signed)")
        // An event on the list: its own data over the list's.
        try s.ok([
            "events", "create", "dinner", "--start", EventsCLITests.futureStart, "--tz", "Europe/Copenhagen",
            "--duration", "2h", "--list", "news", "--channel", "outbox",
            "--data", try Self.write(s, "event.json", #"{"organisation": "Dinner hosts"}"#),
        ])
        _ = try s.json(["work", "--until-idle"])
        #expect(
            try s.emails().last?["text"]?.stringValue?.contains("We look forward to seeing you!\nDinner hosts\n")
                == true)
    }

    /// The README's `send welcome --to ana@example.org`: no list, so the welcome names the
    /// organisation — `[sender] organisation`, else the name in `[sender] from`. Failed before:
    /// "Welcome to !".
    @Test func theReadmesWelcomeNamesTheOrganisation() throws {
        for (sender, name) in [
            (#"from = "Outreach <outreach@localhost>""#, "Outreach"),
            (#"from = "Connecting Friends <venner@sprogcenter.example>""#, "Connecting Friends"),
            (Self.sender, "Sprogcenter Aarhus"),
        ] {
            let s = try Self.setUp("td-welcome", sender: sender)
            try s.ok(["send", "welcome", "--to", "ana@example.org"])
            let mail = try #require(try s.emails().first)
            #expect(mail["subject"]?.stringValue == "Welcome to \(name)", "\(sender)")
            let text = mail["text"]?.stringValue ?? ""
            #expect(text.contains("Welcome to \(name)! We are glad") && !text.contains("Welcome to !"), "\(text)")
            #expect(text.contains("Warm regards,\n\(name)\n"), "\(text)")
        }
    }

    /// `check` warns when a template writes out a `[sender]` value the configuration does not give;
    /// a mistyped `[sender]` key is refused naming the one meant.
    @Test func checkWarnsAboutAValueNothingGives() throws {
        let bare = try Self.setUp("td-check", sender: #"from = "venner@sprogcenter.example""#)
        let r = try TestSupport.outreachd(["--config", bare.config, "check"])
        #expect(r.status == 0, "\(r.stderr)")
        let warning = r.stderr.split(separator: "\n").first { $0.contains("{{organisation}}") }.map(String.init) ?? ""
        #expect(warning.hasPrefix("warning: ") && warning.contains("[sender] organisation"), "\(r.stderr)")
        #expect(warning.contains("templates/"), "names the files: \(warning)")
        #expect(!r.stderr.contains("{{website}}"), "the starter templates guard website: \(r.stderr)")
        let json = try JSON.parse(try TestSupport.outreachd(["--config", bare.config, "check", "--json"]).stdout)
        #expect(json["warnings"]?.arrayValue?.contains { $0.stringValue?.contains("{{organisation}}") == true } == true)

        let named = try Self.setUp("td-check-ok", sender: Self.sender)
        let ok = try TestSupport.outreachd(["--config", named.config, "check"])
        #expect(ok.status == 0 && !ok.stderr.contains("{{organisation}}"), "\(ok.stderr)")

        let typo = try Self.setUp("td-check-typo", sender: #"organization = "Sprogcenter""#)
        let bad = try TestSupport.outreachd(["--config", typo.config, "check"])
        #expect(bad.status == 1 && bad.stderr.contains("did you mean 'organisation'"), "\(bad.stderr)")
    }

    /// A sign-up's confirmation, through `serve` and SMTP (aiosmtpd): the list's title in the
    /// reader's language and the organisation's signature in both parts. Failed before: the
    /// confirmation named the list by its slug and had no signature.
    @Test func aSignUpsConfirmationIsTitledAndSigned() throws {
        let smtp = try SMTPServer()
        let d = try DaemonHarness(
            server: #"subscribe_rate = "100/m""#,
            channels: """
                [channels.mail]
                type = "smtp"
                url = "smtp://127.0.0.1:\(smtp.port)"
                tls = "none"
                """,
            top: "[sender]\n" + Self.sender + "\n")
        #expect(
            try d.cli([
                "lists", "create", "dinner-club", "--double-opt-in", "--title", "Dinner club", "--title",
                "da=Fællesspisning",
            ]).status == 0)
        try d.start()
        defer { d.stop() }
        let signUp: JSON = [
            "method": "POST", "path": "/v1/lists/dinner-club/subscribe",
            "form": ["email": "ana@example.org", "name": "Ana", "locale": "da"],
        ]
        #expect(try d.send(signUp).status == 202)
        try TestSupport.waitFor("the confirmation at the SMTP peer") { !smtp.messages().isEmpty }
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: smtp.dir)) ?? []).filter {
            $0.hasSuffix(".eml")
        }
        let r = try TestSupport.run(
            "python3", [TestSupport.packageRoot + "/Tests/peers/eventcli_eml.py"] + files.map { smtp.dir + "/" + $0 })
        let mail = try #require(try JSON.parse(r.stdout).arrayValue?.first)
        #expect(mail["subject"]?.stringValue == "Bekræft venligst din tilmelding til Fællesspisning")
        let text = mail["text"]?.stringValue ?? ""
        #expect(text.contains("tilmeldt dig Fællesspisning") && !text.contains("dinner-club"), "\(text)")
        #expect(text.hasSuffix("Sprogcenter Aarhus\n"), "signed: \(text)")
        #expect(mail["html"]?.stringValue?.contains(">Sprogcenter Aarhus</p>") == true)
    }
}
