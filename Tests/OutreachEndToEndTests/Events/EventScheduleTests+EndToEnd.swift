import Foundation
import Testing

@testable import Outreach

/// The event schedules checked against Python's zoneinfo (the tz database), a peer process.
@Suite("Event schedules, against zoneinfo")
struct EventScheduleTests {
    @Test func weeklySeriesKeepsLocalTimeAcrossEndOfSummerTime() throws {
        let s = try EventSchedule(
            start: "2026-10-15 18:00", timeZone: "Europe/Copenhagen", duration: "2h",
            rrule: "FREQ=WEEKLY;COUNT=4", reminders: ["-1d", "-2h"])
        let o = s.occurrences()
        #expect(
            o.map { RFC3339.utc($0.start) } == [
                "2026-10-15T16:00:00Z", "2026-10-22T16:00:00Z", "2026-10-29T17:00:00Z", "2026-11-05T17:00:00Z",
            ])
        #expect(
            o.map { RFC3339.local($0.start, in: s.timeZone) } == [
                "2026-10-15T18:00:00+02:00", "2026-10-22T18:00:00+02:00", "2026-10-29T18:00:00+01:00",
                "2026-11-05T18:00:00+01:00",
            ])
        #expect(
            o.map { RFC3339.utc($0.start) }
                == (try Self.zoneinfoUTC(
                    ["2026-10-15 18:00", "2026-10-22 18:00", "2026-10-29 18:00", "2026-11-05 18:00"],
                    zone: "Europe/Copenhagen")))
        #expect(
            o.map { RFC3339.utc($0.end) } == [
                "2026-10-15T18:00:00Z", "2026-10-22T18:00:00Z", "2026-10-29T19:00:00Z", "2026-11-05T19:00:00Z",
            ])
    }

    @Test func remindersLandOnTheRightInstantsAcrossTheChange() throws {
        // 2026-10-25 03:00 CEST → 02:00 CET. The series meets on Sunday evenings around it.
        let s = try EventSchedule(
            start: "2026-10-18 18:00", timeZone: "Europe/Copenhagen", duration: "90m",
            rrule: "FREQ=WEEKLY;COUNT=3", reminders: ["-P1D", "-2h", "-1w", "-26h"])
        let o = s.occurrences()
        // Sunday 25 Oct 18:00 CET = 17:00Z. "-P1D" is Saturday 18:00 CEST = 16:00Z (25 hours earlier);
        // "-2h" is exact: 15:00Z; "-1w" is the previous Sunday 18:00 CEST = 16:00Z; "-26h" is exact.
        let second = o[1].reminders.map { RFC3339.utc($0.at) }
        #expect(RFC3339.utc(o[1].start) == "2026-10-25T17:00:00Z")
        #expect(
            second == ["2026-10-24T16:00:00Z", "2026-10-25T15:00:00Z", "2026-10-18T16:00:00Z", "2026-10-24T15:00:00Z"])
        #expect(o[1].reminders.map { RFC3339.local($0.at, in: s.timeZone) }[0] == "2026-10-24T18:00:00+02:00")
        #expect(o[1].reminders[3].at == o[1].start.addingTimeInterval(-26 * 3600))
        // Cross-check the calendar-day reminders with the tz database.
        #expect(
            try Self.zoneinfoUTC(["2026-10-24 18:00", "2026-10-18 18:00"], zone: "Europe/Copenhagen")
                == [second[0], second[2]])
        // A 2h reminder before the first occurrence's start is simply two hours.
        #expect(o[0].reminders[1].at == o[0].start.addingTimeInterval(-7200))
    }

    /// UTC instants the tz database gives for wall times in a zone, asked of Python's zoneinfo.
    static func zoneinfoUTC(_ locals: [String], zone: String) throws -> [String] {
        let script = """
            import sys, datetime, zoneinfo
            z = zoneinfo.ZoneInfo(sys.argv[1])
            for s in sys.argv[2:]:
                d = datetime.datetime.strptime(s, "%Y-%m-%d %H:%M").replace(tzinfo=z)
                print(d.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
            """
        let r = try TestSupport.python(script, [zone] + locals)
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.split(separator: "\n").map(String.init)
    }
}
