import Foundation
import Outreach
import Synchronization
import Testing

/// Issue 18.11: reminders fan out when they fall due, once each, to the members of that moment.
extension StoreConformance {
    /// A weekly dinner at 18:00 Copenhagen (17:00 UTC) from Monday 7 January 2030, reminded a day ahead.
    static func dinner(_ s: any EventQueueStore, count: Int = 4) throws -> Event {
        let schedule = try EventSchedule(
            start: "2030-01-07 18:00", timeZone: "Europe/Copenhagen", duration: "2h",
            rrule: "FREQ=WEEKLY;COUNT=\(count)", reminders: ["-1d"])
        var e = Event(
            name: "dinner", title: "Dinner", list: "club", channels: [CampaignChannel(name: "o", address: .email)],
            schedule: schedule, location: nil, uid: "evt-dinner@example.org")
        e.createdAt = at("2030-01-01T00:00:00Z")
        return try s.createEvent(e, now: e.createdAt).0
    }

    static func at(_ s: String) -> Int64 { WallClock.parseRFC3339(s)! }

    /// The addresses of one reminder run's deliveries in `state`, sorted.
    static func reminded(_ s: any EventQueueStore, _ e: Event, _ start: String, _ state: DeliveryState) throws
        -> [String]
    {
        let key = ReminderKey(occurrenceStart: at(start), offset: "-1d")
        guard let id = try s.reminderRuns(eventID: e.id!).first(where: { $0.key == key })?.messageID else { return [] }
        return try s.deliveries(state: state, messageID: id, limit: 100).map(\.address).sorted()
    }

    public static func aReminderFansOutOnceToTheMembersOfItsMoment(_ s: any EventQueueStore) throws {
        let ids = try club(s, ["ana@example.org", "bo@example.org"])
        let e = try dinner(s)
        let made = try #require(try s.event(named: "dinner"))
        #expect(made.createdAt == e.createdAt)
        // Nothing is queued ahead: the invitation only.
        #expect(try s.queueCounts(messageID: nil) == [.queued: 2])
        #expect(try s.fanOutDueReminders(now: at("2030-01-06T16:59:59Z")) == ReminderFanOut())
        // Carl joins after the event was made, Bo leaves: the first reminder reaches Ana and Carl.
        let carl = try contacts(s, ["carl@example.org"])
        try s.setMembership(
            list: "club", contactIDs: carl, state: .subscribed, consent: Consent(source: "t"), by: .officer)
        try s.setMembership(
            list: "club", contactIDs: [ids[1]], state: .unsubscribed, consent: Consent(source: "t"), by: .person)
        let first = try s.fanOutDueReminders(now: at("2030-01-06T17:00:00Z"))
        #expect(first.reminders == 1 && first.deliveries == 2 && first.skipped == 0 && first.channels == ["o"])
        #expect(try s.fanOutDueReminders(now: at("2030-01-06T17:00:00Z")) == ReminderFanOut(), "once")
        #expect(try s.fanOutDueReminders(now: at("2030-01-07T10:00:00Z")) == ReminderFanOut(), "once, later too")
        #expect(try reminded(s, e, "2030-01-07T17:00:00Z", .queued) == ["ana@example.org", "carl@example.org"])
        // Carl's address is suppressed and Ana unsubscribes from the list before the second reminder.
        try s.suppress(address: "carl@example.org", reason: .complaint, detail: nil)
        try s.setMembership(
            list: "club", contactIDs: [ids[0]], state: .unsubscribed, consent: Consent(source: "t"), by: .person)
        let second = try s.fanOutDueReminders(now: at("2030-01-13T17:00:00Z"))
        #expect(second.reminders == 1 && second.deliveries == 0)
        #expect(try reminded(s, e, "2030-01-14T17:00:00Z", .queued).isEmpty)
        // The third meeting is cancelled: it has no reminder.
        var cancelled = try #require(try s.event(named: "dinner"))
        let third = try LocalDateTime(parsing: "2030-01-21 18:00")
        cancelled.schedule = try cancelled.schedule.cancelling(
            third, now: Date(timeIntervalSince1970: 1_894_000_000), event: "dinner")
        _ = try s.cancelOccurrence(
            cancelled, occurrence: third, templates: EventTemplates(), now: at("2030-01-15T00:00:00Z"))
        #expect(try s.fanOutDueReminders(now: at("2030-01-20T17:00:00Z")) == ReminderFanOut())
        // Nothing ran at the fourth reminder's instant (the daemon was down) and the meeting has begun:
        // too late, recorded as skipped, never sent.
        let late = try s.fanOutDueReminders(now: at("2030-01-28T17:30:00Z"))
        #expect(late.reminders == 0 && late.skipped == 1)
        #expect(try s.fanOutDueReminders(now: at("2030-01-28T17:30:00Z")) == ReminderFanOut())
        let runs = try s.reminderRuns(eventID: e.id!)
        #expect(runs.map(\.state) == [.queued, .queued, .skipped])
        #expect(
            runs.map(\.key.occurrenceStart) == [
                at("2030-01-07T17:00:00Z"), at("2030-01-14T17:00:00Z"), at("2030-01-28T17:00:00Z"),
            ])
        #expect(runs[2].messageID == nil)
    }

    /// A reminder whose instant passed while nothing ran goes out late while its meeting has not
    /// begun; two callers at once (two threads of a node, two nodes) queue it once.
    public static func twoCallersAtOnceFanOutAReminderOnce(_ s: any EventQueueStore) throws {
        _ = try club(s, ["ana@example.org", "bo@example.org"])
        let e = try dinner(s, count: 1)
        let results = Mutex<[ReminderFanOut]>([])
        DispatchQueue.concurrentPerform(iterations: 4) { _ in
            let r = (try? s.fanOutDueReminders(now: at("2030-01-07T12:00:00Z"))) ?? ReminderFanOut()
            results.withLock { $0.append(r) }
        }
        let all = results.withLock { $0 }
        #expect(all.map(\.reminders).reduce(0, +) == 1 && all.map(\.deliveries).reduce(0, +) == 2)
        #expect(try reminded(s, e, "2030-01-07T17:00:00Z", .queued) == ["ana@example.org", "bo@example.org"])
    }

    /// An update cancels the reminders fanned out but not yet sent of the occurrences it removes, and
    /// keeps the others; cancelling the event cancels them all, and its invitations and updates
    /// not yet sent (nobody gets an invitation and its cancellation).
    public static func aChangeCancelsOnlyTheRemindersItRemoves(_ s: any EventQueueStore) throws {
        _ = try club(s, ["ana@example.org", "bo@example.org"])
        let e = try dinner(s)
        #expect(try s.fanOutDueReminders(now: at("2030-01-06T17:00:00Z")).deliveries == 2)
        var moved = try #require(try s.event(named: "dinner"))
        moved.location = "Room 2"
        let kept = try s.updateEvent(moved, now: at("2030-01-06T18:00:00Z")).1
        #expect(kept.cancelledReminders == 0 && kept.scheduledReminders == 3)
        #expect(try reminded(s, e, "2030-01-07T17:00:00Z", .queued).count == 2)
        var later = try #require(try s.event(named: "dinner"))
        later.schedule = try EventSchedule(
            start: "2030-01-07 19:00", timeZone: "Europe/Copenhagen", duration: "2h", rrule: "FREQ=WEEKLY;COUNT=4",
            reminders: ["-1d"])
        let gone = try s.updateEvent(later, now: at("2030-01-06T18:30:00Z")).1
        #expect(gone.cancelledReminders == 2)
        #expect(try reminded(s, e, "2030-01-07T17:00:00Z", .cancelled).count == 2)
        // The moved meeting's reminder is due already and its meeting not begun: it goes out now.
        let moved1 = try s.fanOutDueReminders(now: at("2030-01-06T18:31:00Z"))
        #expect(moved1.reminders == 1 && moved1.deliveries == 2)
        let (_, cancelled) = try s.cancelEvent(named: "dinner", now: at("2030-01-06T19:00:00Z"))
        #expect(
            cancelled.cancelledReminders == 2 && cancelled.cancelledNotices == 2 && cancelled.invitation.queued == 2)
        #expect(try s.fanOutDueReminders(now: at("2030-01-13T17:00:00Z")) == ReminderFanOut(), "cancelled")
    }
}
