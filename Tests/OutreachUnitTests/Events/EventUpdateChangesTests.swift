import Foundation
import Testing

@testable import Outreach

/// `event.changes` of an update (issue 18.4): what changed since `previous`, written for the
/// reader, and nothing when nothing a reader sees changed.
@Suite struct EventUpdateChangesTests {
    static func event(
        start: String = "2031-03-06 18:00", rrule: String? = "FREQ=WEEKLY;COUNT=4", exdates: [String] = []
    )
        throws -> Event
    {
        let schedule = try EventSchedule(
            start: start, timeZone: "Europe/Copenhagen", duration: "2h", rrule: rrule, exdates: exdates)
        var e = Event(
            name: "dinner", title: "Dinner club", list: "club", channels: [], schedule: schedule,
            location: "Sprogcenter", uid: "evt-1@example.org")
        e.titleTranslations = ["da": "Fællesspisning"]
        return e
    }

    static func changes(_ new: Event, from old: Event, locale: String) throws -> JSON? {
        let info = try #require(EventMessageInfo(new.messageData(role: .update, occurrence: nil, previous: old)))
        let copenhagen = TimeZone(identifier: "Europe/Copenhagen")!
        let asOf = Date(timeIntervalSince1970: 1_900_000_000)
        let next = try #require(info.schedule.occurrences(endingAfter: asOf).first)
        return info.templateValue(next, locale: locale, readerZone: copenhagen, defaultLocale: "en", asOf: asOf)[
            "changes"]
    }

    @Test func timePlaceAndTitleWithOldAndNewInTheReadersLanguage() throws {
        let old = try Self.event(exdates: ["2031-03-13 18:00"])
        var new = try Self.event(start: "2031-03-06 19:00", exdates: ["2031-03-13 19:00"])
        new.location = "Folkets Hus"
        new.titleTranslations = ["da": "Madklub"]
        let da = try #require(try Self.changes(new, from: old, locale: "da"))
        #expect(da["time"]?["old"]?.stringValue == "torsdag den 6. marts 2031 kl. 18.00")
        #expect(da["time"]?["new"]?.stringValue == "torsdag den 6. marts 2031 kl. 19.00")
        #expect(da["place"] == ["old": "Sprogcenter", "new": "Folkets Hus"])
        #expect(da["title"] == ["old": "Fællesspisning", "new": "Madklub"])
        #expect(da["dates"] == nil, "the exception moved with the start")
        let en = try #require(try Self.changes(new, from: old, locale: "en"))
        #expect(en["title"] == nil, "the English title is the same")
        #expect(en["time"]?["new"]?.stringValue == "Thursday 6 March 2031 at 19:00")
    }

    @Test func theSeriesDatesAndNothingAtAll() throws {
        let old = try Self.event()
        let fewer = try Self.event(rrule: "FREQ=WEEKLY;COUNT=2")
        #expect(try Self.changes(fewer, from: old, locale: "en") == ["dates": true])
        var removed = old
        removed.location = nil
        #expect(try Self.changes(removed, from: old, locale: "en") == ["place": ["old": "Sprogcenter", "new": ""]])
        var reminders = old
        reminders.data = ["note": "Bring a dish"]
        #expect(try Self.changes(reminders, from: old, locale: "en") == nil)
        let notAnUpdate = try #require(EventMessageInfo(old.messageData(role: .invitation, occurrence: nil)))
        #expect(notAnUpdate.previous == nil)
    }

    @Test func aSupersedingUpdateTellsWhatChangedSinceTheOneItReplaces() throws {
        let original = try Self.event()
        var first = original
        first.location = "Folkets Hus"
        var second = first
        second.title = "Dinner"
        let waiting = first.messageData(role: .update, occurrence: nil, previous: original)
        let notice = second.messageData(role: .update, occurrence: nil, previous: first)
        let copy = try #require(Event.supersedingNotice(notice, waiting: waiting))
        #expect(EventMessageInfo(copy)?.previous?.location == "Sprogcenter")
        #expect(EventMessageInfo(copy)?.title == "Dinner")
        let invitation = original.messageData(role: .invitation, occurrence: nil)
        #expect(Event.supersedingNotice(notice, waiting: invitation) == nil, "an invitation has no previous")
    }
}
