import Foundation
import Testing
@testable import Outreach

/// Issue 18 item 4, through the real binary: an update says what changed (template
/// `event-update`, `event.changes`: title, time, place, old and new, in the reader's language),
/// and a newer update replaces one still waiting for the same person (`cancelled`, reason
/// `superseded`), so nobody gets two messages — by email or by SMS. Mail read with Python's email
/// and icalendar (`Tests/peers/eventcli_eml.py`).
@Suite(.serialized) struct EventUpdateTests {
    typealias Setup = EventsCLITests.Setup

    /// Ana reads Danish email, Bo English email, Farid English SMS; a weekly dinner at 18:00.
    static func setUp(_ label: String) throws -> (Setup, start: String) {
        let s = try TemplateDataTests.setUp(label, sender: TemplateDataTests.sender)
        try s.ok(["lists", "create", "club"])
        for (address, name, locale) in [
            ("ana@example.org", "Ana", "da"), ("bo@example.org", "Bo", "en"), ("+4520304050", "Farid", "en"),
        ] {
            let option = address.hasPrefix("+") ? "--phone" : "--email"
            try s.ok([
                "contacts", "add", option, address, "--name", name, "--locale", locale, "--tz", "Europe/Copenhagen",
                "--list", "club",
            ])
        }
        let start = EventsCLITests.futureStart
        try s.ok([
            "events", "create", "dinner", "--start", start, "--tz", "Europe/Copenhagen", "--duration", "2h",
            "--list", "club", "--rrule", "FREQ=WEEKLY;COUNT=2", "--title", "Dinner club", "--location",
            "Sprogcenter", "--channel", "outbox", "--channel", "texts",
        ])
        return (s, start)
    }

    /// The start written out in Danish or English (`EventTimeZoneTests.when`).
    static func when(_ start: String, danish: Bool) throws -> String {
        try EventTimeZoneTests.when(start, language: danish ? "da" : "en")
    }

    /// Two updates before the queue runs again: each member gets one update, on each channel,
    /// saying what changed since the invitation they had (the place and the time, old and new);
    /// the first update is cancelled as superseded, which `queue list` and `queue status` show.
    /// Failed before: two identical invitations each (Farid's SMS twice as well).
    @Test func twoUpdatesBeforeTheQueueRunsSendOneEachSayingWhatChanged() throws {
        let (s, start) = try Self.setUp("up-two")
        _ = try s.json(["work", "--until-idle"])
        let (mailsBefore, textsBefore) = (try s.emails().count, try TemplateDataTests.texts(s).count)
        #expect(mailsBefore == 2 && textsBefore == 1)

        let later = String(start.prefix(10)) + " 19:00"
        let first = try s.json(["events", "update", "dinner", "--location", "Folkets Hus"])
        #expect(first["queued"]?["superseded"]?.intValue == 0)
        let second = try s.json(["events", "update", "dinner", "--start", later])
        #expect(second["queued"]?["superseded"]?.intValue == 3, "\(second["queued"] ?? .null)")
        let text = try s.ok(["events", "update", "dinner", "--title", "da=Fællesspisning"])
        #expect(text.contains("3 earlier invitations or updates not yet sent superseded"), "\(text)")

        let cancelled = try s.json(["queue", "list", "--state", "cancelled", "--limit", "100"]).arrayValue ?? []
        let superseded = cancelled.filter { $0["cancel_reason"]?.stringValue == "superseded" }
        #expect(superseded.count == 6, "two updates × three recipients")
        #expect(try s.ok(["queue", "list", "--state", "cancelled"]).contains("superseded by a newer update"))
        let status = try s.json(["queue", "status"])
        #expect(status["cancelled_reasons"]?["superseded"]?.intValue == 6, "\(status)")

        _ = try s.json(["work", "--until-idle"])
        let mails = try s.emails().dropFirst(mailsBefore)
        let texts = try TemplateDataTests.texts(s).dropFirst(textsBefore)
        #expect(mails.count == 2 && texts.count == 1, "one update each: \(mails.count) mails, \(texts.count) SMS")
        #expect(Set(mails.compactMap { $0["to"]?.stringValue }).count == 2)
        for m in mails {
            let danish = m["to"]?.stringValue?.contains("ana@") == true
            let body = m["text"]?.stringValue ?? ""
            let (old, new) = (try Self.when(start, danish: danish), try Self.when(later, danish: danish))
            if danish {
                #expect(m["subject"]?.stringValue == "Ændret: Fællesspisning")
                #expect(body.contains("Nyt tidspunkt: \(new) (før: \(old))"), "\(body)")
                #expect(body.contains("Nyt sted: Folkets Hus (før: Sprogcenter)"), "\(body)")
                #expect(body.contains("Nyt navn: Fællesspisning (før: Dinner club)"), "\(body)")
            } else {
                #expect(m["subject"]?.stringValue == "Changed: Dinner club")
                #expect(body.contains("New time: \(new) (was: \(old))"), "\(body)")
                #expect(body.contains("New place: Folkets Hus (was: Sprogcenter)"), "\(body)")
                #expect(!body.contains("New name"), "the English title did not change: \(body)")
            }
            #expect(!body.contains("You are warmly invited") && !body.contains("hjerteligt inviteret"))
            let ics = m["ics"]
            #expect(ics?["method"]?.stringValue == "REQUEST" && ics?["sequence"]?.intValue == 3)
            #expect(ics?["location"]?.stringValue == "Folkets Hus")
            #expect(ics?["summary"]?.stringValue == (danish ? "Fællesspisning" : "Dinner club"))
        }
        let sms = try #require(texts.first)
        #expect(sms.to == "+4520304050")
        #expect(sms.text.hasPrefix("Changed: Dinner club: \(try Self.when(later, danish: false)), Folkets Hus."))
        #expect(sms.text.contains("(was \(try Self.when(start, danish: false)))"), "\(sms.text)")
    }

    /// An update while the invitation still waits: the person never had the invitation, so they get
    /// the current one instead (SEQUENCE raised, the new place), not a list of changes.
    @Test func anUpdateBeforeTheInvitationWentOutSendsTheCurrentInvitation() throws {
        let (s, _) = try Self.setUp("up-early")
        let updated = try s.json(["events", "update", "dinner", "--location", "Folkets Hus"])
        #expect(updated["queued"]?["superseded"]?.intValue == 3)
        _ = try s.json(["work", "--until-idle"])
        let mails = try s.emails()
        #expect(mails.count == 2)
        for m in mails {
            #expect(m["subject"]?.stringValue == "Invitation: Dinner club", "Danish and English word it alike")
            #expect(m["ics"]?["sequence"]?.intValue == 1 && m["ics"]?["location"]?.stringValue == "Folkets Hus")
            #expect(m["text"]?.stringValue?.contains("Folkets Hus") == true)
        }
        let texts = try TemplateDataTests.texts(s)
        #expect(texts.count == 1 && texts[0].text.hasPrefix("Sprogcenter Aarhus invites you to Dinner club"))
        #expect(texts[0].text.contains("Folkets Hus"))
    }
}
