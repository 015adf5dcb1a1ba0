import Foundation
import Testing
@testable import Outreach

@Suite("event.when")
struct EventWhenTests {
    /// 2026-12-03 18:00 in Copenhagen (17:00Z).
    static let start = try! EventSchedule(start: "2026-12-03 18:00", timeZone: "Europe/Copenhagen", duration: "2h")
        .occurrences()[0].start
    static let copenhagen = TimeZone(identifier: "Europe/Copenhagen")!

    @Test func nordicAndEnglishFormsAreExact() {
        #expect(
            EventWhen.text(Self.start, locale: "da", timeZone: Self.copenhagen)
                == "torsdag den 3. december 2026 kl. 18.00")
        #expect(
            EventWhen.text(Self.start, locale: "sv", timeZone: Self.copenhagen) == "torsdag 3 december 2026 kl. 18.00")
        #expect(
            EventWhen.text(Self.start, locale: "sv-SE", timeZone: Self.copenhagen)
                == "torsdag 3 december 2026 kl. 18.00")
        #expect(
            EventWhen.text(Self.start, locale: "nb", timeZone: Self.copenhagen) == "torsdag 3. desember 2026 kl. 18.00")
        #expect(
            EventWhen.text(Self.start, locale: "en", timeZone: Self.copenhagen) == "Thursday 3 December 2026 at 18:00")
    }

    @Test func recipientsTimeZoneIsUsed() {
        let lisbon = TimeZone(identifier: "Europe/Lisbon")!
        #expect(EventWhen.text(Self.start, locale: "en", timeZone: lisbon) == "Thursday 3 December 2026 at 17:00")
        let tehran = TimeZone(identifier: "Asia/Tehran")!  // +03:30: 20:30, Persian digits
        #expect(EventWhen.text(Self.start, locale: "fa", timeZone: tehran).contains("۲۰:۳۰"))
        // Across midnight the date moves too.
        let auckland = TimeZone(identifier: "Pacific/Auckland")!
        #expect(EventWhen.text(Self.start, locale: "en", timeZone: auckland) == "Friday 4 December 2026 at 06:00")
    }

    @Test(arguments: [
        ("de", ["Donnerstag", "3.", "Dezember", "2026", "18:00"]),
        ("pt", ["quinta-feira", "3", "dezembro", "2026", "18:00"]),
        ("pt-BR", ["quinta-feira", "dezembro", "18:00"]),
        ("es", ["jueves", "diciembre", "2026", "18:00"]),
        ("fr", ["jeudi", "3", "décembre", "2026", "18:00"]),
        ("uk", ["четвер", "грудня", "2026", "18:00"]),
        ("ar", ["الخميس", "ديسمبر"]),
        ("fa", ["پنجشنبه", "دسامبر", "۲۰۲۶", "۱۸:۰۰"]),
    ])
    func otherLanguagesUseTheirOwnWords(locale: String, words: [String]) {
        let text = EventWhen.text(Self.start, locale: locale, timeZone: Self.copenhagen)
        for w in words { #expect(text.contains(w), "\(locale): \(text)") }
        #expect(!text.contains("Thursday"))
    }

    @Test func unknownLocalesFallBack() {
        let english = EventWhen.text(Self.start, locale: "en", timeZone: Self.copenhagen)
        #expect(EventWhen.text(Self.start, locale: "xx", timeZone: Self.copenhagen) == english)
        #expect(EventWhen.text(Self.start, locale: nil, timeZone: Self.copenhagen) == english)
        #expect(EventWhen.text(Self.start, locale: "not a locale!", timeZone: Self.copenhagen) == english)
        #expect(
            EventWhen.text(Self.start, locale: "xx", timeZone: Self.copenhagen, defaultLocale: "da")
                == "torsdag den 3. december 2026 kl. 18.00")
        #expect(
            EventWhen.text(Self.start, locale: "da-XX", timeZone: Self.copenhagen)
                == "torsdag den 3. december 2026 kl. 18.00")
    }
}

@Suite("Event schedule text and template context")
struct EventScheduleTextTests {
    @Test func textsParseBackToTheSameSchedule() throws {
        let s = try EventSchedule(
            start: "2026-11-02 17:30", timeZone: "America/New_York", duration: "1h30m",
            rrule: "RRULE:FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO,-1FR;UNTIL=20270331",
            exdates: ["2027-01-04 17:30"], reminders: ["-P1D", "+15m", "-2h"])
        let t = s.texts
        #expect(t.reminders == ["-1d", "+15m", "-2h"])
        let back = try EventSchedule(
            start: t.start, timeZone: t.timeZone, duration: t.duration, rrule: t.rrule,
            exdates: t.exdates, reminders: t.reminders)
        #expect(back == s)
        #expect(back.occurrences() == s.occurrences())
    }

    @Test func templateContextUsesTheRecipientsZone() throws {
        let s = try EventSchedule(start: "2026-12-03 18:00", timeZone: "Europe/Copenhagen", duration: "2h")
        let o = try #require(s.occurrences().first)
        let context = o.templateContext(
            title: "Middagsklub", location: "Vesterbrogade 1", locale: "da",
            timeZone: TimeZone(identifier: "Europe/London")!)
        #expect(context["when"]?.stringValue == "torsdag den 3. december 2026 kl. 17.00")
        #expect(context["start"]?.stringValue == "2026-12-03T17:00:00+00:00")
        #expect(context["end"]?.stringValue == "2026-12-03T19:00:00+00:00")
        #expect(context["location"]?.stringValue == "Vesterbrogade 1")
    }
}

extension EventWhenTests {
    /// Issue 18.6: which clock, and when the zone is named.
    @Test func thePlacesClockOrTheReaders() {
        let athens = TimeZone(identifier: "Europe/Athens")!
        let stockholm = TimeZone(identifier: "Europe/Stockholm")!
        // 2026-12-03 17:00Z is 19:00 in Athens, 18:00 in Copenhagen and Stockholm.
        let place = EventWhen.fields(Self.start, eventZone: athens, readerZone: stockholm, clock: .place, locale: "sv")
        #expect(place["when"]?.stringValue == "torsdag 3 december 2026 kl. 19.00 (Atentid)")
        #expect(place["time_zone"]?.stringValue == "Europe/Athens")
        #expect(place["when_reader"]?.stringValue == "torsdag 3 december 2026 kl. 18.00 (Stockholmtid)")
        let online = EventWhen.fields(
            Self.start, eventZone: athens, readerZone: stockholm, clock: .reader, locale: "en")
        #expect(online["when"]?.stringValue == "Thursday 3 December 2026 at 18:00 (Stockholm Time; 19:00 Athens Time)")
        #expect(online["when_local"]?.stringValue == "Thursday 3 December 2026 at 19:00 (Athens Time)")
        #expect(online["reader_time_zone"]?.stringValue == "Europe/Stockholm")
        // The same clock: nothing named. A reader whose zone is not known: the zone named.
        let local = EventWhen.fields(
            Self.start, eventZone: Self.copenhagen, readerZone: stockholm, clock: .place, locale: "da")
        #expect(local["when"]?.stringValue == "torsdag den 3. december 2026 kl. 18.00")
        let unknown = EventWhen.fields(Self.start, eventZone: athens, readerZone: nil, clock: .reader, locale: "en")
        #expect(unknown["when"]?.stringValue == "Thursday 3 December 2026 at 19:00 (Athens Time)")
        #expect(unknown["reader_time_zone"] == nil)
        // Another day for the organiser: their date is written too.
        let auckland = TimeZone(identifier: "Pacific/Auckland")!
        let far = EventWhen.fields(Self.start, eventZone: athens, readerZone: auckland, clock: .reader, locale: "en")
        #expect(far["when"]?.stringValue?.contains("; Thursday 3 December 2026 at 19:00 Athens Time)") == true)
        #expect(EventWhen.zoneName(athens, locale: "ar").contains("أثينا"))
    }
}
