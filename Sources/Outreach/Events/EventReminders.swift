import Foundation

/// Which reminder of which occurrence: the occurrence's start (ms since 1970) and the signed
/// offset. The key of a reminder run (`reminder_runs`): an instant, not the occurrence's index,
/// so a moved occurrence is a new one and an exception does not renumber what was sent.
public struct ReminderKey: Sendable, Hashable {
    public var occurrenceStart: Int64
    public var offset: String
    public init(occurrenceStart: Int64, offset: String) {
        self.occurrenceStart = occurrenceStart
        self.offset = offset
    }
}

/// A reminder whose instant has come: fan it out now (`send`), or record it as skipped because
/// it is too late to mean anything (see `Event.dueReminders(now:)`).
public struct DueReminder: Sendable, Equatable {
    public var key: ReminderKey
    /// The occurrence's index (`EventOccurrence.index`), which the message carries.
    public var occurrence: Int
    /// The reminder's instant (ms since 1970).
    public var at: Int64
    public var send: Bool
}

/// What a reminder run did, as the store recorded it with the marker.
public enum ReminderRunState: String, Sendable {
    /// Fanned out to the members subscribed at that moment.
    case queued
    /// Its instant passed while nothing ran, and it was too late (the occurrence had begun).
    case skipped
    /// Queued ahead by a version before reminders fanned out when due; the run only marks it.
    case legacy
}

/// One reminder run of an event, read back for `events show`.
public struct ReminderRun: Sendable, Equatable {
    public var key: ReminderKey
    public var state: ReminderRunState
    /// The reminder message its deliveries belong to; nil when skipped.
    public var messageID: Int64?
    public var ranAt: Int64
    public init(key: ReminderKey, state: ReminderRunState, messageID: Int64?, ranAt: Int64) {
        self.key = key
        self.state = state
        self.messageID = messageID
        self.ranAt = ranAt
    }
}

/// What one due-reminder fan-out did (`EventStore.fanOutDueReminders`).
public struct ReminderFanOut: Sendable, Equatable {
    /// Reminder runs fanned out, and their deliveries.
    public var reminders = 0
    public var deliveries = 0
    /// Runs recorded as skipped: too late (see `Event.dueReminders(now:)`).
    public var skipped = 0
    /// The channels that got deliveries (their loops are woken).
    public var channels: Set<String> = []
    public init() {}
}

extension Event {
    /// How far back a fan-out looks for reminders it never ran (the daemon was down): older ones
    /// are not looked at, not even to record them as skipped.
    public static let reminderLookbackMillis: Int64 = 7 * 86_400_000

    /// How late a reminder after the occurrence's end (a follow-up, `+1d`) may still go out: its
    /// own instant is already past the end, so the end cannot be its deadline.
    public static let lateFollowUpMillis: Int64 = 3_600_000

    static func millis(_ d: Date) -> Int64 { Int64((d.timeIntervalSince1970 * 1000).rounded()) }

    /// The reminders whose instant has come by `now` and that fell due after the event was made
    /// (a reminder already past at creation is never sent), at most `reminderLookbackMillis` ago.
    /// The store runs each once (`EventStore.fanOutDueReminders`). One that comes late — the
    /// daemon was down at its instant — is still sent while it means something: a reminder before
    /// the start until the occurrence begins, one after the start (`+15m`) until it ends, one
    /// after the end (a follow-up) until an hour after its instant; later it is recorded as skipped.
    public func dueReminders(now: Int64) -> [DueReminder] {
        guard state == .active, !schedule.reminders.isEmpty else { return [] }
        let from = max(createdAt, now - Self.reminderLookbackMillis)
        var out: [DueReminder] = []
        for o in schedule.occurrences(endingAfter: Date(timeIntervalSince1970: Double(from) / 1000)) {
            let start = Self.millis(o.start)
            for r in o.reminders {
                let at = Self.millis(r.at)
                guard at <= now, at > createdAt, at > now - Self.reminderLookbackMillis else { continue }
                let deadline = at <= start ? start : max(Self.millis(o.end), at + Self.lateFollowUpMillis)
                out.append(
                    DueReminder(
                        key: ReminderKey(occurrenceStart: start, offset: r.offset.signed), occurrence: o.index,
                        at: at, send: now < deadline))
            }
        }
        return out.sorted { ($0.at, $0.key.occurrenceStart) < ($1.at, $1.key.occurrenceStart) }
    }

    /// The reminders the event's schedule still has for the occurrences that end after `now`: a
    /// reminder fanned out but not yet sent whose key is not among them (its occurrence was
    /// cancelled or moved, its offset removed) is cancelled by a change.
    public func reminderKeys(now: Int64) -> Set<ReminderKey> {
        var keys = Set<ReminderKey>()
        for o in schedule.occurrences(endingAfter: Date(timeIntervalSince1970: Double(now) / 1000)) {
            for r in o.reminders {
                keys.insert(ReminderKey(occurrenceStart: Self.millis(o.start), offset: r.offset.signed))
            }
        }
        return keys
    }

    /// After a change of the schedule: the reminder messages whose deliveries not yet sent are to be
    /// cancelled. Of those that ran (`ran`: each run's key and message), the ones whose occurrence or
    /// offset the schedule no longer has (`reminderKeys(now:)`); of those an earlier version queued
    /// ahead (`reminderMessageIDs`), every one that has not run — its reminder fans out anew when
    /// due — while one that ran as `legacy` follows the first rule.
    public func staleReminderMessages(ran: [(key: ReminderKey, id: Int64)], now: Int64) -> [Int64] {
        let keep = reminderKeys(now: now)
        let marked = Set(ran.map(\.id))
        return ran.filter { !keep.contains($0.key) }.map(\.id) + reminderMessageIDs.filter { !marked.contains($0) }
    }

    /// Runs the reminders of this event due by `now` through a store, the same on every backend,
    /// inside the caller's transaction. For each, `record` inserts its run — its state, and for a
    /// reminder queued ahead by an earlier version (`legacy`: occurrence index and offset, as
    /// `reminderKey` spells them, to its message) that message — unless the key has one, and says
    /// whether it did; only then is a reminder to send fanned out by `queue`, which returns its
    /// deliveries. `legacy` is read only when something is due and such reminders exist.
    public func runDueReminders(
        now: Int64, into out: inout ReminderFanOut, legacy: () throws -> [String: Int64],
        record: (DueReminder, ReminderRunState, Int64?) throws -> Bool, queue: (DueReminder) throws -> Int
    ) throws {
        let due = dueReminders(now: now)
        guard !due.isEmpty else { return }
        let old = reminderMessageIDs.isEmpty ? [:] : try legacy()
        for r in due {
            let queuedAhead = old[Self.reminderKey(occurrence: r.occurrence, offset: r.key.offset)]
            let state: ReminderRunState = queuedAhead != nil ? .legacy : r.send ? .queued : .skipped
            guard try record(r, state, queuedAhead) else { continue }
            switch state {
            case .legacy: continue
            case .skipped: out.skipped += 1
            case .queued:
                let n = try queue(r)
                out.reminders += 1
                out.deliveries += n
                if n > 0 { out.channels.formUnion(channels.map(\.name)) }
            }
        }
    }

    /// The message data of the reminder `r`.
    public func reminderData(_ r: DueReminder) -> JSON {
        messageData(role: .reminder, occurrence: r.occurrence, extra: ["reminder": .string(r.key.offset)])
    }
}

/// The reminders not yet fanned out: how many, and when the next falls due.
public struct ScheduledReminders: Sendable, Equatable {
    public var count = 0
    public var next: Int64?

    /// The reminders of active events still ahead of `now` (each occurrence's, up to the rolling
    /// horizon of an open series): they are fanned out when they fall due.
    public init(events: [Event], now: Int64) {
        for e in events where e.state == .active {
            let planned = e.plannedReminders(now: now)
            count += planned.count
            if let first = planned.first?.at { next = min(next ?? first, first) }
        }
    }
}
