import Foundation
import Testing
@testable import Outreach

/// Issue 18.1 and 18.5 in the core: exceptions kept, moved, added and dropped by an update; one
/// occurrence left out to cancel it.
@Suite struct EventScheduleChangeTests {
    static func weekly(_ exdates: [String] = [], rrule: String = "FREQ=WEEKLY;COUNT=8") throws -> EventSchedule {
        try EventSchedule(
            start: "2027-03-04 18:00", timeZone: "Europe/Copenhagen", duration: "2h", rrule: rrule, exdates: exdates,
            reminders: ["-1d"])
    }

    static func texts(_ s: EventSchedule) -> [String] { s.exceptions.map { "\($0)" } }

    @Test func anExdateAddsToTheExceptionsThereAre() throws {
        let (s, c) = try Self.weekly(["2027-03-11 18:00"]).applying(
            EventScheduleChange(addExceptions: ["2027-03-18 18:00"]))
        #expect(Self.texts(s) == ["2027-03-11 18:00", "2027-03-18 18:00"])
        #expect(c.added.map { "\($0)" } == ["2027-03-18 18:00"] && c.removed.isEmpty && c.moved.isEmpty)
        #expect(s.occurrences().count == 6)
    }

    @Test func noExdateDropsOneAndRefusesWhatIsNotAnException() throws {
        let base = try Self.weekly(["2027-03-11 18:00", "2027-03-18 18:00"])
        let (s, c) = try base.applying(EventScheduleChange(removeExceptions: ["2027-03-11 18:00"]))
        #expect(Self.texts(s) == ["2027-03-18 18:00"] && c.removed.map { "\($0)" } == ["2027-03-11 18:00"])
        #expect(throws: EventError.self) {
            try base.applying(EventScheduleChange(removeExceptions: ["2027-03-25 18:00"]))
        }
        do {
            _ = try base.applying(EventScheduleChange(addExceptions: ["2027-03-18 18:00"]))
            Issue.record("adding an exception twice was accepted")
        } catch { #expect(error.field == .exdate) }
    }

    @Test func aNewStartMovesTheExceptionsBySameOffset() throws {
        let base = try Self.weekly(["2027-03-18 18:00"])
        let (later, c) = try base.applying(EventScheduleChange(start: "2027-03-04 18:30"))
        #expect(Self.texts(later) == ["2027-03-18 18:30"])
        #expect(c.moved.map { "\($0.from) \($0.to)" } == ["2027-03-18 18:00 2027-03-18 18:30"])
        // A day later (Friday) with a plain weekly rule: the exception moves to that Friday.
        let (friday, _) = try base.applying(EventScheduleChange(start: "2027-03-05 18:00"))
        #expect(Self.texts(friday) == ["2027-03-19 18:00"])
        // Exceptions and the time zone are wall-clock: a new zone keeps them.
        let (elsewhere, moved) = try base.applying(EventScheduleChange(timeZone: "America/New_York"))
        #expect(Self.texts(elsewhere) == ["2027-03-18 18:00"] && moved.moved.isEmpty)
    }

    @Test func aStartThatLeavesAnExceptionOffTheSeriesIsRefused() throws {
        let base = try EventSchedule(
            start: "2027-03-02 18:00", timeZone: "Europe/Copenhagen", duration: "1h",
            rrule: "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=6", exdates: ["2027-03-04 18:00"])
        do {
            _ = try base.applying(EventScheduleChange(start: "2027-03-04 18:00"))
            Issue.record("the exception would have moved to a Saturday")
        } catch {
            #expect(error.field == .start)
            #expect(error.description.contains("2027-03-06 18:00") && error.description.contains("--no-exdate"))
        }
        // Dropping it in the same command is the way out.
        let (s, _) = try base.applying(
            EventScheduleChange(start: "2027-03-04 18:00", removeExceptions: ["2027-03-04 18:00"]))
        #expect(s.exceptions.isEmpty)
        // A rule that no longer has the exception's date is refused too, naming --rrule.
        do {
            _ = try base.applying(EventScheduleChange(rrule: "FREQ=WEEKLY;BYDAY=TU;COUNT=6"))
            Issue.record("the exception is a Thursday")
        } catch { #expect(error.field == .rrule) }
    }

    @Test func aSingleEventLosesTheExceptionsOfTheSeries() throws {
        let (s, c) = try Self.weekly(["2027-03-18 18:00"]).applying(EventScheduleChange(rrule: ""))
        #expect(s.rule == nil && s.exceptions.isEmpty && c.removed.map { "\($0)" } == ["2027-03-18 18:00"])
    }

    @Test func cancellingOneOccurrence() throws {
        let base = try Self.weekly(["2027-03-11 18:00"])
        let before = try #require(WallClock.parseRFC3339("2027-03-01T00:00:00Z"))
        let now = Date(timeIntervalSince1970: Double(before) / 1000)
        let third = try LocalDateTime(parsing: "2027-03-18 18:00")
        let s = try base.cancelling(third, now: now, event: "dinner")
        #expect(Self.texts(s) == ["2027-03-11 18:00", "2027-03-18 18:00"])
        #expect(s.instance(at: third)?.start == base.occurrences().first { $0.local == third }?.start)
        let later = Date(timeIntervalSince1970: 2e9)
        for (when, moment) in [("2027-03-19 18:00", now), ("2027-03-11 18:00", now), ("2027-03-18 18:00", later)] {
            do {
                _ = try base.cancelling(try LocalDateTime(parsing: when), now: moment, event: "dinner")
                Issue.record("\(when) was accepted")
            } catch { #expect(error.field == .occurrence, "\(when): \(error)") }
        }
        let single = try EventSchedule(start: "2027-03-04 18:00", timeZone: "Europe/Copenhagen", duration: "2h")
        #expect(throws: EventError.self) {
            try single.cancelling(try LocalDateTime(parsing: "2027-03-04 18:00"), now: now, event: "once")
        }
    }
}
