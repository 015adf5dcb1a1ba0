import Foundation
import Testing
@testable import Outreach

/// Issue 18 item 6, through the real binary: an in-person event is told by the place's clock, the
/// zone named where the reader's shows another time ("10:00 (Athens Time)"); an online one by the
/// reader's, with the organiser's time beside. The readers' times are Python's zoneinfo's.
@Suite(.serialized) struct EventTimeZoneTests {
    /// A wall-clock start in `eventZone` written out for a reader in `zone` (default: the same),
    /// in English, Danish or Swedish, as Python's zoneinfo and calendar give it.
    static func when(
        _ start: String, from eventZone: String = "Europe/Copenhagen", in zone: String? = nil,
        language: String = "en"
    ) throws -> String {
        let r = try TestSupport.python(
            """
            import sys, datetime, zoneinfo
            d = datetime.datetime.strptime(sys.argv[1], "%Y-%m-%d %H:%M").replace(tzinfo=zoneinfo.ZoneInfo(sys.argv[2]))
            d = d.astimezone(zoneinfo.ZoneInfo(sys.argv[3]))
            names = {
                "da": (["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"],
                       ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august", "september",
                        "oktober", "november", "december"], "{day} den {d.day}. {month} {d.year} kl. {d:%H.%M}"),
                "sv": (["måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag"],
                       ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
                        "oktober", "november", "december"], "{day} {d.day} {month} {d.year} kl. {d:%H.%M}"),
            }
            if sys.argv[4] in names:
                days, months, form = names[sys.argv[4]]
                print(form.format(day=days[d.weekday()], month=months[d.month - 1], d=d))
            else:
                print(f"{d:%A} {d.day} {d:%B} {d.year} at {d:%H:%M}")
            """, [start, eventZone, zone ?? eventZone, language])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The Erasmus+ multiplier event in Athens at 10:00 and an online meeting at the same hour,
    /// to a Swedish reader in Stockholm, an English one in New York and one in Athens. Failed
    /// before: the Swedish reader read "kl. 09.00" with no zone named, next to "Where: Athens".
    @Test func thePlacesClockInPersonTheReadersOnline() throws {
        let s = try TemplateDataTests.setUp("tz-athens", sender: TemplateDataTests.sender)
        try s.ok(["lists", "create", "partners"])
        for (email, locale, zone) in [
            ("sofia@example.se", "sv", "Europe/Stockholm"), ("nick@example.com", "en", "America/New_York"),
            ("eleni@example.gr", "en", "Europe/Athens"),
        ] {
            try s.ok(["contacts", "add", "--email", email, "--locale", locale, "--tz", zone, "--list", "partners"])
        }
        let start = String(EventsCLITests.futureStart.prefix(10)) + " 10:00"
        try s.ok([
            "events", "create", "multiplier", "--start", start, "--tz", "Europe/Athens", "--duration", "3h",
            "--list", "partners", "--location", "Athens, Technopolis", "--channel", "outbox",
        ])
        let online = try s.json([
            "events", "create", "webinar", "--start", start, "--tz", "Europe/Athens", "--duration", "1h",
            "--list", "partners", "--online", "--channel", "outbox",
        ])
        #expect(online["online"] == .bool(true))
        _ = try s.json(["work", "--until-idle"])
        let mails = try s.emails()
        #expect(mails.count == 6)
        func line(_ to: String, _ subject: String) -> String {
            let m = mails.first {
                $0["to"]?.stringValue?.contains(to) == true && $0["subject"]?.stringValue?.hasSuffix(subject) == true
            }
            return (m?["text"]?.stringValue ?? "").split(separator: "\n").first {
                $0.hasPrefix("When: ") || $0.hasPrefix("När: ")
            }.map(String.init) ?? "(none)"
        }
        let athens = (
            en: try Self.when(start, from: "Europe/Athens"),
            sv: try Self.when(start, from: "Europe/Athens", language: "sv")
        )
        // In person: the place's clock; the zone named for those whose clock differs.
        #expect(line("sofia@", "multiplier") == "När: \(athens.sv) (Atentid)")
        #expect(line("nick@", "multiplier") == "When: \(athens.en) (Athens Time)")
        #expect(line("eleni@", "multiplier") == "When: \(athens.en)", "a reader in Athens needs no zone")
        // Online: each reader's clock, named, with the organiser's beside.
        let stockholm = try Self.when(start, from: "Europe/Athens", in: "Europe/Stockholm", language: "sv")
        let newYork = try Self.when(start, from: "Europe/Athens", in: "America/New_York")
        #expect(line("sofia@", "webinar") == "När: \(stockholm) (Stockholmtid; 10.00 Atentid)")
        #expect(line("nick@", "webinar") == "When: \(newYork) (New York Time; 10:00 Athens Time)")
        #expect(line("eleni@", "webinar") == "When: \(athens.en)")

        // Which clock can change; `changes` says so.
        let moved = try s.json(["events", "update", "multiplier", "--online"])
        #expect(moved["online"] == .bool(true))
        #expect(moved["changes"]?["fields"]?.arrayValue?.compactMap(\.stringValue) == ["online"])
        let r = try TestSupport.outreachd([
            "--config", s.config, "events", "update", "multiplier", "--online", "--in-person",
        ])
        #expect(r.status == 2 && r.stderr.contains("--in-person"), "\(r.stderr)")
    }
}
