import Foundation
import Testing
@testable import Outreach

/// Open-ended series: reminders beyond the first horizon fan out as time reaches them, once.
@Suite struct EventHorizonTests {
    static let day: Int64 = 86_400_000

    func setUp() throws -> (SQLiteStore, String) {
        let path = TestSupport.temporaryDirectory("horizon") + "/o.db"
        let s = try SQLiteStore(path: path)
        _ = try s.createList(name: "club", doubleOptIn: false)
        let ids = try s.upsertContacts([Contact(email: "ana@example.org"), Contact(email: "bo@example.org")]).ids
        try s.setMembership(
            list: "club", contactIDs: ids, state: .subscribed, consent: Consent(source: "test", evidence: nil))
        return (s, path)
    }

    func event(_ name: String, rrule: String) throws -> Event {
        let schedule = try EventSchedule(
            start: "2027-01-07 18:00", timeZone: "Europe/Copenhagen", duration: "2h", rrule: rrule, reminders: ["-1d"])
        return Event(
            name: name, title: name, list: "club", channels: [CampaignChannel(name: "o", address: .email)],
            schedule: schedule,
            location: nil, uid: "evt-\(name)@example.org")
    }

    /// Occurrence indices of an event's reminder messages and their deliveries, read by the sqlite3 shell.
    func reminders(_ path: String, _ name: String) throws -> (occurrences: [Int], deliveries: Int) {
        let sql = """
            SELECT json_extract(m.data, '$.event.occurrence'), (SELECT COUNT(*) FROM deliveries d WHERE d.message_id = m.id AND d.state = 'queued')
            FROM messages m JOIN events e ON e.id = m.event_id
            WHERE e.name = '\(name)' AND json_extract(m.data, '$.event.role') = 'reminder' ORDER BY 1
            """
        let rows = try TestSupport.run("sqlite3", ["-separator", " ", path, sql]).stdout.split(separator: "\n").map {
            $0.split(separator: " ").compactMap { Int($0) }
        }
        return (rows.map { $0[0] }, rows.reduce(0) { $0 + $1[1] })
    }

    /// Weekly starts from 2027-01-07 18:00 in Copenhagen before `bound` (a wall time there), by Foundation's calendar.
    static func weeklyStarts(before bound: DateComponents) -> Int {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Europe/Copenhagen")!
        let start = cal.date(from: DateComponents(year: 2027, month: 1, day: 7, hour: 18))!
        let end = cal.date(from: bound)!
        var n = 0
        while cal.date(byAdding: .day, value: 7 * n, to: start)! < end { n += 1 }
        return n
    }

    /// Nothing is queued ahead; years on, an open series' reminder still fans out when it falls due
    /// (about its own occurrence), once.
    @Test func anOpenSeriesRemindsBeyondItsFirstHorizonOnce() throws {
        let (s, path) = try setUp()
        let now0 = try #require(WallClock.parseRFC3339("2027-01-01T00:00:00Z"))
        _ = try s.createEvent(try event("weekly", rrule: "FREQ=WEEKLY"), now: now0)
        _ = try s.createEvent(try event("finite", rrule: "FREQ=WEEKLY;COUNT=3"), now: now0)
        _ = try s.createEvent(try event("gone", rrule: "FREQ=WEEKLY"), now: now0)
        _ = try s.cancelEvent(named: "gone", now: now0)
        #expect(try reminders(path, "weekly").occurrences.isEmpty)
        // Scheduled: two years of the open series from its start (later than two years from now), and 3.
        let scheduled = ScheduledReminders(events: try s.events(), now: now0)
        #expect(
            scheduled.count
                == Self.weeklyStarts(before: DateComponents(year: 2029, month: 1, day: 7, hour: 18)) + 3)
        #expect(scheduled.next == WallClock.parseRFC3339("2027-01-06T17:00:00Z"))
        #expect(try s.fanOutDueReminders(now: now0) == ReminderFanOut())
        // Meeting 160 (31 January 2030, 18:00 in Copenhagen), reminded the day before at 18:00.
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Europe/Copenhagen")!
        let start = cal.date(from: DateComponents(year: 2027, month: 1, day: 7, hour: 18))!
        let remindAt = cal.date(byAdding: .day, value: 7 * 160 - 1, to: start)!
        let at = Int64(remindAt.timeIntervalSince1970 * 1000)
        let q = try s.fanOutDueReminders(now: at)
        #expect(q.reminders == 1 && q.deliveries == 2 && q.skipped == 0)
        #expect(try reminders(path, "weekly").occurrences == [160] && reminders(path, "weekly").deliveries == 2)
        #expect(try s.fanOutDueReminders(now: at) == ReminderFanOut())
        #expect(try s.fanOutDueReminders(now: at + 3_600_000) == ReminderFanOut())
        #expect(try reminders(path, "finite").occurrences.isEmpty && reminders(path, "gone").occurrences.isEmpty)
    }
}
