import Foundation
import Testing
@testable import Outreach

/// Issue 18 item 10, through the real binary: an event on an email and an SMS channel reaches each
/// member once. Someone with both an email and a phone gets the channel they prefer
/// (`contacts add --preferred-channel`, the import column `preferred_channel`), else the event's
/// `--prefer` (default email); someone the event has no channel for is counted in the output.
@Suite(.serialized) struct EventRecipientChoiceTests {
    typealias Setup = EventsCLITests.Setup

    /// Ana has only an email, Farid only a phone, Bo both and prefers SMS, Cy both and says nothing.
    static func setUp(_ label: String) throws -> Setup {
        let s = try TemplateDataTests.setUp(label, sender: TemplateDataTests.sender)
        try s.ok(["lists", "create", "club"])
        let people: [[String]] = [
            ["--email", "ana@example.org"], ["--phone", "+4520304050"],
            ["--email", "bo@example.org", "--phone", "+4520304051", "--preferred-channel", "sms"],
            ["--email", "cy@example.org", "--phone", "+4520304052"],
        ]
        for p in people { try s.ok(["contacts", "add"] + p + ["--tz", "Europe/Copenhagen", "--list", "club"]) }
        return s
    }

    static func create(_ s: Setup, _ extra: [String]) throws -> JSON {
        try s.json(
            [
                "events", "create", "dinner", "--start", EventsCLITests.futureStart, "--tz", "Europe/Copenhagen",
                "--duration", "2h", "--list", "club", "--title", "Dinner club",
            ] + extra)
    }

    /// Who has which invitation: channel and address, from `queue list --json`.
    static func invitations(_ s: Setup) throws -> Set<String> {
        let all = try s.json(["queue", "list", "--limit", "100"]).arrayValue ?? []
        return Set(
            all.filter { $0["message"]?.intValue == all.first?["message"]?.intValue }.compactMap { d in
                guard let c = d["channel"]?.stringValue, let a = d["address"]?.stringValue else { return nil }
                return c + " " + a
            })
    }

    /// Failed before: Bo and Cy had the invitation twice, by email and by SMS.
    @Test func eachMemberGetsOneChannelByPreferenceElseTheEventDefault() throws {
        let s = try Self.setUp("pref-both")
        let out = try Self.create(s, ["--channel", "outbox", "--channel", "texts"])
        #expect(out["queued"]?["invitation"]?.intValue == 4, "\(out["queued"] ?? .null)")
        #expect(
            try Self.invitations(s) == [
                "outbox ana@example.org", "texts +4520304050", "texts +4520304051", "outbox cy@example.org",
            ])
        #expect(out["prefer"]?.stringValue == "email")
    }

    /// `--prefer sms` sends the undecided Cy an SMS; Bo's own preference stays.
    @Test func theEventDefaultDecidesForThoseWithoutAPreference() throws {
        let s = try Self.setUp("pref-sms")
        _ = try Self.create(s, ["--channel", "outbox", "--channel", "texts", "--prefer", "sms"])
        #expect(
            try Self.invitations(s) == [
                "outbox ana@example.org", "texts +4520304050", "texts +4520304051", "texts +4520304052",
            ])
    }

    /// An email-only event: Bo prefers SMS but gets email (the event has no SMS channel); Farid,
    /// who has only a phone, is counted as not reached instead of skipped silently.
    @Test func someoneTheEventHasNoChannelForIsCounted() throws {
        let s = try Self.setUp("pref-email-only")
        let text = try s.ok([
            "events", "create", "dinner", "--start", EventsCLITests.futureStart, "--tz", "Europe/Copenhagen",
            "--duration", "2h", "--list", "club", "--channel", "outbox",
        ])
        #expect(text.contains("3 invitation deliveries queued"), "\(text)")
        #expect(text.contains("1 member not reached: only a phone, and the event has no SMS channel"), "\(text)")
        #expect(
            try Self.invitations(s) == ["outbox ana@example.org", "outbox bo@example.org", "outbox cy@example.org"])
    }

    /// The import column and a bad value: the row is refused, saying what the column may hold.
    @Test func theImportColumnSetsThePreference() throws {
        let s = try TemplateDataTests.setUp("pref-import", sender: TemplateDataTests.sender)
        try s.ok(["lists", "create", "club"])
        let csv = s.dir + "/people.csv"
        try "email,phone,preferred_channel\ndo@example.org,+4520304053,sms\n".write(
            toFile: csv, atomically: true, encoding: .utf8)
        try s.ok(["contacts", "import", csv, "--list", "club"])
        #expect(try s.json(["contacts", "show", "do@example.org"])["preferred_channel"]?.stringValue == "sms")
        _ = try Self.create(s, ["--channel", "outbox", "--channel", "texts"])
        #expect(try Self.invitations(s) == ["texts +4520304053"])
    }
}

/// The sign-up form takes `preferred_channel` for a newcomer; a bad one is a 400 naming the field.
@Suite struct SignUpPreferenceTests {
    @Test func theSignUpFormSetsThePreference() throws {
        let d = try DaemonHarness(server: #"subscribe_rate = "100/m""#)
        #expect(try d.cli(["lists", "create", "news"]).status == 0)
        try d.start()
        let rs = try d.send([
            [
                "method": "POST", "path": "/v1/lists/news/subscribe",
                "form": ["email": "eve@example.org", "phone": "+4520304054", "preferred_channel": "sms"],
            ],
            [
                "method": "POST", "path": "/v1/lists/news/subscribe",
                "form": ["email": "fay@example.org", "preferred_channel": "fax"],
            ],
        ])
        #expect(rs[0].status == 200, "\(rs[0].body)")
        #expect(rs[1].status == 400 && rs[1].body.contains("preferred_channel"), "\(rs[1].body)")
        let eve = try JSON.parse(try d.cli(["contacts", "show", "eve@example.org", "--json"]).stdout)
        #expect(eve["preferred_channel"]?.stringValue == "sms")
        #expect(try d.cli(["contacts", "show", "fay@example.org"]).status != 0)
        d.stop()
    }
}

extension EventRecipientChoiceTests {
    /// `events update --prefer sms` with a new place: the update goes to the undecided Cy by SMS,
    /// Bo keeps his own; alone, or with a bad value, it is refused and changes nothing.
    @Test func anUpdateChangesTheDefaultForWhatItQueues() throws {
        let s = try Self.setUp("pref-update")
        _ = try Self.create(s, ["--channel", "outbox", "--channel", "texts"])
        let alone = try TestSupport.outreachd(["--config", s.config, "events", "update", "dinner", "--prefer", "sms"])
        #expect(alone.status == 2 && alone.stderr.contains("--prefer needs another change"), "\(alone.stderr)")
        let bad = try TestSupport.outreachd([
            "--config", s.config, "events", "update", "dinner", "--prefer", "fax", "--location", "Hall",
        ])
        #expect(bad.status == 2 && bad.stderr.contains("--prefer: 'fax' is not email or sms"), "\(bad.stderr)")
        let out = try s.json(["events", "update", "dinner", "--prefer", "sms", "--location", "Hall"])
        #expect(out["prefer"]?.stringValue == "sms" && out["changes"]?["fields"]?.arrayValue?.count == 2)
        // What waits now (the invitation not yet sent was superseded: cancelled, its successor queued).
        let waiting = try s.json(["queue", "list", "--state", "queued", "--limit", "100"]).arrayValue ?? []
        let addresses = Set(waiting.compactMap { $0["address"]?.stringValue })
        #expect(addresses.count == 4, "\(addresses)")
        #expect(addresses.contains("+4520304052") && !addresses.contains("cy@example.org"), "\(addresses)")
        #expect(addresses.contains("+4520304051") && !addresses.contains("bo@example.org"), "\(addresses)")
    }
}
