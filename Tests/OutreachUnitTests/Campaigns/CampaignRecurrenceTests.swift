import Foundation
import Testing

@testable import Outreach

/// Issue 19.3 in process: a recurring campaign's `--every`/`--at`/`--until` read by the events'
/// recurrence code, its runs across daylight saving, and the due-runs step over a real store.
@Suite struct CampaignRecurrenceTests {
    let copenhagen = TimeZone(identifier: "Europe/Copenhagen")!

    func refusal(_ every: String, at: String, until: String? = nil) -> String {
        do {
            _ = try CampaignRecurrence(every: every, at: at, until: until, zone: copenhagen)
            return "accepted"
        } catch {
            return "\(error)"
        }
    }

    func local(_ ms: Int64) -> String {
        "\(copenhagen.localDateTime(for: Date(timeIntervalSince1970: Double(ms) / 1000)))"
    }

    @Test func theFirstTuesdayOfEachMonthKeepsTenOClockAcrossDaylightSaving() throws {
        let r = try CampaignRecurrence(
            every: "FREQ=MONTHLY;BYDAY=1TU", at: "2027-01-05 10:00", until: "2027-12-31", zone: copenhagen)
        let runs = r.runs(after: nil, now: 0, ahead: 20)
        #expect(runs.due.isEmpty && runs.last == 11)
        #expect(
            runs.next.map { "\($0.local)" }.prefix(4) == [
                "2027-01-05 10:00", "2027-02-02 10:00", "2027-03-02 10:00", "2027-04-06 10:00",
            ])
        #expect(runs.next.allSatisfy { local($0.at) == "\($0.local)" }, "10:00 in winter and in summer")
        // 09:00Z in winter, 08:00Z in summer.
        #expect(WallClock.rfc3339(runs.next[2].at) == "2027-03-02T09:00:00Z")
        #expect(WallClock.rfc3339(runs.next[3].at) == "2027-04-06T08:00:00Z")
        #expect(runs.next.last.map { "\($0.local)" } == "2027-12-07 10:00")
    }

    @Test func aRunInTheSpringForwardGapMovesByTheGapAndOnlyThatDay() throws {
        // 2027-03-28 is the spring-forward Sunday in Copenhagen: 02:30 does not exist that day.
        let r = try CampaignRecurrence(
            every: "FREQ=WEEKLY;COUNT=3", at: "2027-03-21 02:30", until: nil, zone: copenhagen)
        let next = r.runs(after: nil, now: 0, ahead: 5).next
        #expect(next.map { local($0.at) } == ["2027-03-21 02:30", "2027-03-28 03:30", "2027-04-04 02:30"])
        #expect(r.runs(after: nil, now: 0, ahead: 5).last == 2)
        // Fall back: 02:30 happens twice on 2027-10-31; the first (still summer time) is meant.
        let autumn = try CampaignRecurrence(
            every: "FREQ=DAILY;COUNT=1", at: "2027-10-31 02:30", until: nil, zone: copenhagen)
        #expect(WallClock.rfc3339(autumn.firstAt) == "2027-10-31T00:30:00Z")
    }

    @Test func dueRunsAreThoseWhoseTimeHasComeAfterTheLastRecorded() throws {
        let r = try CampaignRecurrence(every: "FREQ=WEEKLY", at: "2027-01-04 09:00", until: nil, zone: copenhagen)
        let all = r.runs(after: nil, now: r.firstAt + 15 * 86_400_000, ahead: 2)
        #expect(all.due.map(\.index) == [0, 1, 2] && all.next.map(\.index) == [3, 4] && all.last == nil)
        let after = r.runs(after: all.due[1], now: r.firstAt + 15 * 86_400_000, ahead: 1)
        #expect(after.due.map(\.index) == [2] && after.next.map(\.index) == [3])
        // Stored and read back as it was.
        #expect(CampaignRecurrence(json: r.json) == r)
    }

    @Test func badInputIsRefusedNamingTheOption() {
        #expect(refusal("FREQ=MONTHLY;BYDAX=1TU", at: "2027-01-05 10:00").hasPrefix("--every: BYDAX is not supported"))
        #expect(refusal("FREQ=HOURLY", at: "2027-01-05 10:00").hasPrefix("--every: unknown FREQ 'HOURLY'"))
        #expect(
            refusal("FREQ=MONTHLY;BYDAY=1TU", at: "2027-01-06 10:00")
                == "--at: 2027-01-06 10:00 (a Wednesday) is not a time the rule FREQ=MONTHLY;BYDAY=1TU picks; "
                + "its first run on or after it is 2027-02-02 10:00.")
        #expect(refusal("FREQ=WEEKLY", at: "next monday").hasPrefix("--at: 'next monday' is not a time"))
        #expect(
            refusal("FREQ=WEEKLY", at: "2027-01-04 09:00", until: "2026-12-31")
                == "--until: 2026-12-31 is before --at 2027-01-04 09:00; no run would be left.")
        #expect(
            refusal("FREQ=WEEKLY;COUNT=3", at: "2027-01-04 09:00", until: "2027-06-01")
                .hasPrefix("--until: the rule already ends with COUNT or UNTIL"))
        #expect(refusal("FREQ=WEEKLY", at: "2027-01-04 09:00", until: "June").hasPrefix("--until: 'June' is not a day"))
        #expect(
            refusal("FREQ=DAILY;UNTIL=20300101", at: "2027-01-04 09:00")
                .hasPrefix("--every: the rule gives more than 500 occurrences"))
        #expect(
            refusal("FREQ=DAILY", at: "2027-01-04 09:00", until: "2030-01-01")
                .hasPrefix("--until: the rule gives more than 500 occurrences"))
        #expect(refusal("FREQ=WEEKLY;COUNT=2", at: "2027-01-04T09:00:00+01:00") == "accepted")
    }
}
