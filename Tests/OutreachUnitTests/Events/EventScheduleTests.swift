import Foundation
import Testing
@testable import Outreach

@Suite("Event schedules")
struct EventScheduleTests {
    @Test func springForwardGapShiftsForwardAndFallBackTakesTheFirst() throws {
        let zone = TimeZone(identifier: "Europe/Copenhagen")!
        // 2027-03-28 02:30 does not exist (02:00 CET → 03:00 CEST): read with +01:00, i.e. 03:30 CEST.
        let gap = zone.instant(for: LocalDateTime(year: 2027, month: 3, day: 28, hour: 2, minute: 30))
        #expect(RFC3339.local(gap, in: zone) == "2027-03-28T03:30:00+02:00")
        // 2026-10-25 02:30 happens twice: the first one, in CEST.
        let twice = zone.instant(for: LocalDateTime(year: 2026, month: 10, day: 25, hour: 2, minute: 30))
        #expect(RFC3339.utc(twice) == "2026-10-25T00:30:00Z")
        // A daily series at 02:30 through the gap keeps 02:30 on the other days.
        let s = try EventSchedule(
            start: "2027-03-27 02:30", timeZone: "Europe/Copenhagen", duration: "1h", rrule: "FREQ=DAILY;COUNT=3")
        #expect(
            s.occurrences().map { RFC3339.local($0.start, in: zone) } == [
                "2027-03-27T02:30:00+01:00", "2027-03-28T03:30:00+02:00", "2027-03-29T02:30:00+02:00",
            ])
    }

    @Test func dayLongDurationKeepsTheClockTime() throws {
        let s = try EventSchedule(start: "2026-10-24 12:00", timeZone: "Europe/Copenhagen", duration: "1d")
        let o = try #require(s.occurrences().first)
        #expect(RFC3339.local(o.end, in: s.timeZone) == "2026-10-25T12:00:00+01:00")
        #expect(o.end.timeIntervalSince(o.start) == 25 * 3600)
    }

    @Test func monthlyByDayWithUntilExdateAndInterval() throws {
        // Every second month on the first Monday and the last Friday, until the end of 2027, minus one.
        let s = try EventSchedule(
            start: "2026-11-02 17:30", timeZone: "America/New_York", duration: "1h",
            rrule: "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO,-1FR;UNTIL=20270331",
            exdates: ["2027-01-04 17:30"])
        let locals = s.occurrences().map { "\($0.local)" }
        #expect(
            locals == [
                "2026-11-02 17:30", "2026-11-27 17:30", "2027-01-29 17:30", "2027-03-01 17:30", "2027-03-26 17:30",
            ])
        // Eastern time: EST (-5) in winter, EDT (-4) from 2027-03-14.
        #expect(
            s.occurrences().map { RFC3339.utc($0.start) } == [
                "2026-11-02T22:30:00Z", "2026-11-27T22:30:00Z", "2027-01-29T22:30:00Z", "2027-03-01T22:30:00Z",
                "2027-03-26T21:30:00Z",
            ])
    }

    @Test func weeklyByDayAndMonthlyByDate() throws {
        let s = try EventSchedule(
            start: "2026-12-01 10:00", timeZone: "Europe/Stockholm", duration: "1h",
            rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=5")
        #expect(
            s.occurrences().map { "\($0.local)" } == [
                "2026-12-01 10:00", "2026-12-03 10:00", "2026-12-15 10:00", "2026-12-17 10:00", "2026-12-29 10:00",
            ])
        // The 31st: months without one are skipped (RFC 5545).
        let m = try EventSchedule(
            start: "2027-01-31 09:00", timeZone: "UTC", duration: "1h", rrule: "FREQ=MONTHLY;COUNT=4")
        #expect(
            m.occurrences().map { "\($0.local)" } == [
                "2027-01-31 09:00", "2027-03-31 09:00", "2027-05-31 09:00", "2027-07-31 09:00",
            ])
    }

    @Test func openEndedSeriesStopsAtTheHorizon() throws {
        let s = try EventSchedule(
            start: "2026-01-05 18:00", timeZone: "Europe/Copenhagen", duration: "2h", rrule: "FREQ=WEEKLY")
        let o = s.occurrences()
        #expect(s.horizon == LocalDateTime(year: 2028, month: 1, day: 5, hour: 18))
        // Mondays from 2026-01-05 up to, not including, 2028-01-05: the last is 2028-01-03.
        #expect(o.count == 105)
        #expect("\(o.last!.local)" == "2028-01-03 18:00")
        let d = try EventSchedule(
            start: "2026-01-05 18:00", timeZone: "Europe/Copenhagen", duration: "2h", rrule: "FREQ=DAILY")
        #expect(d.occurrences().count == RecurrenceRule.maximumCount)
    }

    @Test func untilInUTCIsInclusive() throws {
        let s = try EventSchedule(
            start: "2026-10-15 18:00", timeZone: "Europe/Copenhagen", duration: "2h",
            rrule: "FREQ=WEEKLY;UNTIL=20261029T170000Z")
        #expect(s.occurrences().count == 3)
        #expect(s.rule?.icalendar == "FREQ=WEEKLY;UNTIL=20261029T170000Z")
        let local = try EventSchedule(
            start: "2026-10-15 18:00", timeZone: "Europe/Copenhagen", duration: "2h",
            rrule: "FREQ=WEEKLY;UNTIL=20261029")
        #expect(local.rule?.icalendar == "FREQ=WEEKLY;UNTIL=20261029T225959Z")
        #expect(local.occurrences().count == 3)
    }

    @Test func durationsParse() throws {
        func d(_ s: String, sign: Bool = false) throws -> EventDuration {
            try EventDuration(parsing: s, field: sign ? .remind : .duration, signRequired: sign)
        }
        #expect(try d("2h") == EventDuration(seconds: 7200))
        #expect(try d("90m") == EventDuration(seconds: 5400))
        #expect(try d("1h30m") == EventDuration(seconds: 5400))
        #expect(try d("1d") == EventDuration(days: 1))
        #expect(try d("-1w", sign: true) == EventDuration(days: -7))
        #expect(try d("-P1D", sign: true) == EventDuration(days: -1))
        #expect(try d("-PT2H", sign: true) == EventDuration(seconds: -7200))
        #expect(try d("-P1DT2H30M", sign: true) == EventDuration(days: -1, seconds: -9000))
        #expect(EventDuration(days: -1, seconds: -9000).iso == "-P1DT2H30M")
        #expect(EventDuration(days: -7).iso == "-P1W")
        #expect(EventDuration(seconds: 5400).description == "1h30m")
    }

    @Test func badInputSaysWhatAndWhere() throws {
        func error(_ body: () throws -> Void) -> String {
            do { try body(); return "no error" } catch { return "\(error)" }
        }
        func make(
            start: String = "2026-10-15 18:00", tz: String = "Europe/Copenhagen", duration: String = "2h",
            rrule: String? = nil, exdates: [String] = [], remind: [String] = []
        ) -> String {
            error {
                _ = try EventSchedule(
                    start: start, timeZone: tz, duration: duration, rrule: rrule, exdates: exdates, reminders: remind)
            }
        }
        #expect(make(rrule: "FREQ=HOURLY") == "--rrule: unknown FREQ 'HOURLY' (use DAILY, WEEKLY or MONTHLY)")
        #expect(make(start: "15/10/2026 18:00") == "--start: expected YYYY-MM-DD HH:MM, got '15/10/2026 18:00'")
        #expect(make(start: "2026-02-30 18:00") == "--start: '2026-02-30 18:00' is not a real date and time")
        #expect(make(tz: "Europe/Kobenhavn").hasPrefix("--tz: unknown time zone 'Europe/Kobenhavn'"))
        #expect(make(duration: "2 hours").hasPrefix("--duration: expected a duration such as 2h"))
        #expect(make(duration: "-2h") == "--duration: the duration must be longer than zero, got '-2h'")
        #expect(make(remind: ["1d"]).hasPrefix("--remind: write '-1d' for before the start"))
        #expect(make(remind: ["-1x"]).hasPrefix("--remind: expected a duration such as -1d"))
        #expect(make(remind: ["-1d", "-P1D"]) == "--remind: the reminder '-1d' is given twice")
        #expect(make(rrule: "FREQ=WEEKLY;BYMONTHDAY=3").hasPrefix("--rrule: BYMONTHDAY is not supported"))
        #expect(make(rrule: "FREQ=WEEKLY;COUNT=3;UNTIL=20261231") == "--rrule: give COUNT or UNTIL, not both")
        #expect(
            make(rrule: "FREQ=WEEKLY;BYDAY=1TH")
                == "--rrule: '1TH' in BYDAY: a numbered day (like 1MO or -1FR) needs FREQ=MONTHLY")
        #expect(make(rrule: "FREQ=WEEKLY;BYDAY=XX").hasPrefix("--rrule: unknown day 'XX' in BYDAY"))
        #expect(make(rrule: "FREQ=WEEKLY;INTERVAL=0").hasPrefix("--rrule: INTERVAL must be"))
        #expect(make(rrule: "FREQ=DAILY;COUNT=501").hasPrefix("--rrule: COUNT 501 is more than"))
        #expect(make(rrule: "FREQ=DAILY;UNTIL=20301231").hasPrefix("--rrule: the rule gives more than 500"))
        #expect(
            make(rrule: "FREQ=WEEKLY;BYDAY=MO;COUNT=2").hasPrefix(
                "--start: 2026-10-15 18:00 (a Thursday) is not a day the rule"))
        #expect(
            make(rrule: "FREQ=WEEKLY;COUNT=2", exdates: ["2026-10-23 18:00"])
                == "--exdate: 2026-10-23 18:00 is not an occurrence of the event")
        #expect(make(exdates: ["2026-10-15 18:00"]) == "--exdate: an exception date needs a recurring event (--rrule)")
        #expect(
            make(rrule: "FREQ=WEEKLY;COUNT=1", exdates: ["2026-10-15 18:00"])
                == "--exdate: the exception dates leave no occurrence at all")
        do {
            _ = try EventSchedule(start: "x", timeZone: "UTC", duration: "1h")
            Issue.record("accepted a bad start")
        } catch {
            #expect(error.field == .start)
        }
    }

    @Test func showJSONListsOccurrencesAndRemindersInUTCAndLocal() throws {
        let s = try EventSchedule(
            start: "2026-10-15 18:00", timeZone: "Europe/Copenhagen", duration: "2h",
            rrule: "FREQ=WEEKLY;COUNT=4", reminders: ["-1d", "-2h"])
        let json = try JSON.parse(s.showJSON().serialized)
        let occurrences = try #require(json["occurrences"]?.arrayValue)
        #expect(occurrences.count == 4)
        let third = occurrences[2]
        #expect(third["start_utc"]?.stringValue == "2026-10-29T17:00:00Z")
        #expect(third["start_local"]?.stringValue == "2026-10-29T18:00:00+01:00")
        #expect(third["end_local"]?.stringValue == "2026-10-29T20:00:00+01:00")
        let reminders = try #require(third["reminders"]?.arrayValue)
        #expect(reminders.map { $0["offset"]?.stringValue } == ["-1d", "-2h"])
        #expect(reminders.map { $0["at_utc"]?.stringValue } == ["2026-10-28T17:00:00Z", "2026-10-29T15:00:00Z"])
        #expect(
            reminders.map { $0["at_local"]?.stringValue } == ["2026-10-28T18:00:00+01:00", "2026-10-29T16:00:00+01:00"])
        #expect(json["time_zone"]?.stringValue == "Europe/Copenhagen")
        #expect(json["open_ended"] == .bool(false))
    }
}

@Suite("Event schedules, later windows")
struct EventScheduleWindowTests {
    @Test func openEndedSeriesRollsItsHorizonForward() throws {
        let s = try EventSchedule(
            start: "2026-01-05 18:00", timeZone: "Europe/Copenhagen", duration: "2h",
            rrule: "FREQ=WEEKLY", exdates: ["2026-01-12 18:00"])
        let later = try #require(s.occurrences().last).end  // 2028-01-03 20:00
        let next = s.occurrences(endingAfter: later)
        #expect("\(next.first!.local)" == "2028-01-10 18:00")
        #expect("\(next.last!.local)" == "2029-12-31 18:00")
        // Indexes keep counting through the whole series (the exception is left out).
        #expect(next.first!.index == s.occurrences().count)
        // Still 18:00 local through all the changes of those years.
        #expect(next.allSatisfy { s.timeZone.localDateTime(for: $0.start).hour == 18 })
        // A finite series does not grow.
        let f = try EventSchedule(
            start: "2026-01-05 18:00", timeZone: "Europe/Copenhagen", duration: "2h", rrule: "FREQ=WEEKLY;COUNT=3")
        #expect(f.occurrences(endingAfter: f.occurrences()[1].start).map(\.index) == [1, 2])
    }

    @Test func onlyIANAZoneNames() throws {
        for bad in ["CEST", "GMT+1", "Europe/Atlantis", "europe/copenhagen"] {
            #expect(throws: EventError.self) {
                try EventSchedule(start: "2026-01-05 18:00", timeZone: bad, duration: "2h")
            }
        }
        for good in ["UTC", "Europe/Kyiv", "America/Argentina/Buenos_Aires", "Etc/GMT-14"] {
            #expect(throws: Never.self) { try EventSchedule(start: "2026-01-05 18:00", timeZone: good, duration: "2h") }
        }
    }
}
