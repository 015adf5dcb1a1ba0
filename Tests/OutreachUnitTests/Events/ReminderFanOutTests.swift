import Foundation
import OutreachTestFixtures
import Synchronization
import Testing

@testable import Outreach

/// Issue 18.11: which reminders are due (`Event.dueReminders`), the service of `serve` that fans
/// them out, and two SQLite connections fanning out at once.
@Suite struct ReminderFanOutTests {
    static func at(_ s: String) -> Int64 { WallClock.parseRFC3339(s)! }

    /// A dinner on Thursday 7 January 2027 18:00 in Copenhagen (17:00 UTC) for 2 hours.
    static func dinner(reminders: [String], created: String = "2027-01-01T00:00:00Z") throws -> Event {
        var e = Event(
            name: "dinner", title: "Dinner", list: "club", channels: [CampaignChannel(name: "o", address: .email)],
            schedule: try EventSchedule(
                start: "2027-01-07 18:00", timeZone: "Europe/Copenhagen", duration: "2h", reminders: reminders),
            location: nil, uid: "evt-dinner@example.org")
        e.createdAt = at(created)
        return e
    }

    @Test func aReminderIsDueAtItsInstantAndSentWhileItStillMeansSomething() throws {
        let e = try Self.dinner(reminders: ["-1d", "+15m"])
        #expect(e.dueReminders(now: Self.at("2027-01-06T16:59:59Z")).isEmpty)
        let day = e.dueReminders(now: Self.at("2027-01-06T17:00:00Z"))
        #expect(day.map(\.key.offset) == ["-1d"] && day.map(\.send) == [true] && day[0].occurrence == 0)
        #expect(day[0].key == ReminderKey(occurrenceStart: Self.at("2027-01-07T17:00:00Z"), offset: "-1d"))
        // Late (nothing ran): the one before the start until the start, the one after until the end.
        let during = e.dueReminders(now: Self.at("2027-01-07T17:30:00Z"))
        #expect(during.map(\.key.offset) == ["-1d", "+15m"] && during.map(\.send) == [false, true])
        let after = e.dueReminders(now: Self.at("2027-01-07T19:00:00Z"))
        #expect(after.map(\.send) == [false, false])
        // Longer ago than the lookback: not even looked at.
        #expect(e.dueReminders(now: Self.at("2027-02-07T00:00:00Z")).isEmpty)
    }

    @Test func aReminderPastWhenTheEventWasMadeIsNeverDue() throws {
        let e = try Self.dinner(reminders: ["-1d", "-2h"], created: "2027-01-07T12:00:00Z")
        #expect(e.dueReminders(now: Self.at("2027-01-07T15:00:00Z")).map(\.key.offset) == ["-2h"])
        var cancelled = e
        cancelled.state = .cancelled
        #expect(cancelled.dueReminders(now: Self.at("2027-01-07T15:00:00Z")).isEmpty)
        let s = ScheduledReminders(events: [e], now: Self.at("2027-01-07T12:00:00Z"))
        #expect(s.count == 1 && s.next == Self.at("2027-01-07T15:00:00Z"))
    }

    static func club(_ s: SQLiteStore) throws {
        _ = try s.createList(name: "club", doubleOptIn: false)
        let ids = try s.upsertContacts([Contact(email: "ana@example.org"), Contact(email: "bo@example.org")]).ids
        try s.setMembership(
            list: "club", contactIDs: ids, state: .subscribed, consent: Consent(source: "t"), by: .officer)
    }

    /// Two connections to one database (two processes: `serve` and `work`) fanning out at once.
    @Test func twoConnectionsFanOutAReminderOnce() throws {
        let path = TestSupport.temporaryDirectory("reminders") + "/o.db"
        let a = try SQLiteStore(path: path)
        try Self.club(a)
        _ = try a.createEvent(try Self.dinner(reminders: ["-1d"]), now: Self.at("2027-01-01T00:00:00Z"))
        let b = try SQLiteStore(path: path)
        let stores = [a, b]
        let total = Mutex(ReminderFanOut())
        DispatchQueue.concurrentPerform(iterations: 8) { i in
            let r = (try? stores[i % 2].fanOutDueReminders(now: Self.at("2027-01-06T17:00:01Z"))) ?? ReminderFanOut()
            total.withLock {
                $0.reminders += r.reminders
                $0.deliveries += r.deliveries
            }
        }
        #expect(total.withLock { $0.reminders == 1 && $0.deliveries == 2 })
        #expect(try b.queueCounts(messageID: nil) == [.queued: 4])
    }

    /// A node that does not lead `Duty.reminders` leaves what is due to the leader: nothing
    /// fanned out, no failure; once it leads, it fans out.
    @Test func onlyTheLeaderFansOut() throws {
        let store = try SQLiteStore(path: TestSupport.temporaryDirectory("reminders") + "/o.db")
        try Self.club(store)
        _ = try store.createEvent(try Self.dinner(reminders: ["-1d"]), now: Self.at("2027-01-01T00:00:00Z"))
        let leading = Atomic<Bool>(false)
        let service = ReminderService(
            store: store, clock: ManualTime(Self.at("2027-01-06T18:00:00Z")), log: { _, _ in },
            leads: { leading.load(ordering: .relaxed) }
        ) { _ in }
        // The invitations, queued by `createEvent`.
        let before = try store.queueCounts(messageID: nil)[.queued, default: 0]
        #expect(service.step().failed == false)
        #expect(try store.queueCounts(messageID: nil)[.queued, default: 0] == before)
        leading.store(true, ordering: .relaxed)
        _ = service.step()
        #expect(try store.queueCounts(messageID: nil)[.queued, default: 0] == before + 2)
    }

    /// The service fans out at start what fell due while nothing ran, and wakes the channel's loops.
    @Test func theServiceFansOutAtStartAndWakesTheChannels() throws {
        let store = try SQLiteStore(path: TestSupport.temporaryDirectory("reminders") + "/o.db")
        try Self.club(store)
        _ = try store.createEvent(try Self.dinner(reminders: ["-1d", "-2h"]), now: Self.at("2027-01-01T00:00:00Z"))
        let clock = ManualTime(Self.at("2027-01-06T18:00:00Z"))
        let woken = Mutex<[Set<String>]>([])
        let service = ReminderService(store: store, clock: clock, intervalMillis: 10, log: { _, _ in }) { c in
            woken.withLock { $0.append(c) }
        }
        try service.start()
        defer { service.drain() }
        #expect(woken.withLock { $0 } == [["o"]])
        #expect(try store.queueCounts(messageID: nil)[.queued] == 4)
        clock.set(Self.at("2027-01-07T15:00:00Z"))
        try TestSupport.waitFor("the second reminder", interval: 0.005) {
            try store.queueCounts(messageID: nil)[.queued] == 6
        }
        #expect(try store.reminderRuns(eventID: 1).map(\.key.offset) == ["-1d", "-2h"])
    }

    /// Upgrading: reminders an earlier version queued ahead are marked when due, not fanned out
    /// again; a change cancels those that have not run (they fan out anew when due) and keeps the
    /// one that ran while its occurrence and offset remain.
    @Test func remindersQueuedAheadByAnEarlierVersionAreNotSentTwice() throws {
        let store = try SQLiteStore(path: TestSupport.temporaryDirectory("reminders") + "/o.db")
        try Self.club(store)
        let (made, _) = try store.createEvent(
            try Self.dinner(reminders: ["-1d", "-2h"]), now: Self.at("2027-01-01T00:00:00Z"))
        // What the earlier version stored: a message per reminder, fanned out at creation.
        try store.write { db in
            var ids: [Int64] = []
            for (offset, at) in [("-1d", "2027-01-06T17:00:00Z"), ("-2h", "2027-01-07T15:00:00Z")] {
                ids.append(
                    try SQLiteStore.queueEventMessage(
                        db, made, template: "event-reminder",
                        data: made.messageData(role: .reminder, occurrence: 0, extra: ["reminder": .string(offset)]),
                        at: Self.at(at), now: made.createdAt, counting: false
                    ).0)
            }
            try db.prepare("UPDATE events SET reminder_message_ids = ? WHERE id = ?")
                .run([.text(JSON.array(ids.map { JSON(Int($0)) }).serialized), .integer(made.id!)])
        }
        #expect(try store.queueCounts(messageID: nil) == [.queued: 6])
        let due = try store.fanOutDueReminders(now: Self.at("2027-01-06T17:00:00Z"))
        #expect(due == ReminderFanOut(), "marked, not queued again")
        #expect(try store.reminderRuns(eventID: made.id!).map(\.state) == [.legacy])
        var moved = try #require(try store.event(named: "dinner"))
        moved.location = "Room 2"
        let (stored, q) = try store.updateEvent(moved, now: Self.at("2027-01-06T17:30:00Z"))
        #expect(q.cancelledReminders == 2 && stored.reminderMessageIDs.isEmpty, "the -2h ones, not yet run")
        #expect(try store.event(named: "dinner")?.reminderMessageIDs.isEmpty == true)
        let later = try store.fanOutDueReminders(now: Self.at("2027-01-07T15:00:00Z"))
        #expect(later.reminders == 1 && later.deliveries == 2)
    }
}

/// A reminder after the occurrence's end (`+1d` on a 2-hour dinner: a follow-up)
/// is accepted by `events create`; at its own instant — the daemon running on time — it was
/// recorded as skipped ("too late", the end being its deadline), so it was never sent.
@Suite struct ReminderAfterTheEndTests {
    @Test func aFollowUpAfterTheEndIsSentAtItsInstant() throws {
        let e = try ReminderFanOutTests.dinner(reminders: ["+1d"])
        let due = e.dueReminders(now: ReminderFanOutTests.at("2027-01-08T17:00:00Z"))
        #expect(due.map(\.key.offset) == ["+1d"])
        #expect(due.map(\.send) == [true])
    }
}
