import Foundation

extension SQLiteStore {
    /// Fans out each reminder due by `now` once: in one `BEGIN IMMEDIATE` transaction (two
    /// processes take turns), its `reminder_runs` row is inserted first — `INSERT … ON CONFLICT DO
    /// NOTHING` on the (event, occurrence start, offset) key, so a run already recorded, by this
    /// caller or another, queues nothing — and then its message and deliveries, to the members
    /// subscribed now. A SIGKILL in between leaves neither.
    @discardableResult
    public func fanOutDueReminders(now: Int64) throws -> ReminderFanOut {
        try write { db in
            var out = ReminderFanOut()
            let events = try db.prepare(
                "SELECT \(Self.eventColumns) FROM events WHERE state = 'active' AND reminders <> '[]' ORDER BY id"
            ).rows([], Self.readEvent)
            for e in events {
                try e.runDueReminders(now: now, into: &out) {
                    Dictionary(try Self.reminderMessages(db, e).map { ($0.key, $0.id) }) { a, _ in a }
                } record: { r, state, old in
                    try db.prepare(
                        literal: """
                            INSERT INTO reminder_runs(event_id, occurrence_start, reminder_offset, occurrence, at, state,
                                                      message_id, ran_at)
                            VALUES(?,?,?,?,?,?,?,?) ON CONFLICT DO NOTHING
                            """
                    ).run([
                        .integer(e.id!), .integer(r.key.occurrenceStart), .text(r.key.offset),
                        .integer(Int64(r.occurrence)), .integer(r.at), .text(state.rawValue), SQLiteValue(old),
                        .integer(now),
                    ])
                    return db.changes == 1
                } queue: { r in
                    let (mid, fan) = try Self.queueEventMessage(
                        db, e, template: EventTemplates().reminder, data: e.reminderData(r), at: now, now: now,
                        counting: false)
                    try db.prepare(
                        literal: """
                            UPDATE reminder_runs SET message_id = ?
                            WHERE event_id = ? AND occurrence_start = ? AND reminder_offset = ?
                            """
                    ).run([.integer(mid), .integer(e.id!), .integer(r.key.occurrenceStart), .text(r.key.offset)])
                    return fan.queued
                }
            }
            return out
        }
    }

    public func reminderRuns(eventID: Int64) throws -> [ReminderRun] {
        try with { db in
            try db.prepare(
                literal: """
                    SELECT occurrence_start, reminder_offset, state, message_id, ran_at FROM reminder_runs
                    WHERE event_id = ? ORDER BY ran_at, occurrence_start, reminder_offset
                    """
            ).rows([.integer(eventID)]) {
                ReminderRun(
                    key: ReminderKey(occurrenceStart: $0.int(0), offset: $0.text(1)),
                    state: ReminderRunState(rawValue: $0.text(2)) ?? .queued, messageID: $0.optionalInt(3),
                    ranAt: $0.int(4))
            }
        }
    }

    /// After a change of `e`'s schedule: cancels the reminder deliveries fanned out but not yet sent
    /// whose occurrence or offset the schedule no longer has (`Event.reminderKeys(now:)`), and
    /// every one still pending of those queued ahead by an earlier version (their reminders are
    /// fanned out anew when due). Returns how many were cancelled.
    static func cancelStaleReminders(_ db: SQLiteDatabase, _ e: inout Event, now: Int64) throws -> Int {
        let ran = try db.prepare(
            literal: """
                SELECT occurrence_start, reminder_offset, message_id FROM reminder_runs
                WHERE event_id = ? AND message_id IS NOT NULL
                """
        ).rows([.integer(e.id!)]) { (key: ReminderKey(occurrenceStart: $0.int(0), offset: $0.text(1)), id: $0.int(2)) }
        let ids = e.staleReminderMessages(ran: ran, now: now)
        guard !ids.isEmpty else { return 0 }
        try db.prepare(
            literal: """
                UPDATE deliveries SET state='cancelled', cancel_reason='event-changed', last_error='event changed', updated_at=?
                WHERE state IN ('queued','failed') AND message_id IN (SELECT value FROM json_each(?))
                """
        ).run([.integer(now), .text(JSON.array(ids.map { JSON(Int($0)) }).serialized)])
        let cancelled = db.changes
        if !e.reminderMessageIDs.isEmpty {
            e.reminderMessageIDs = []
            try db.prepare(literal: "UPDATE events SET reminder_message_ids = '[]' WHERE id = ?").run([.integer(e.id!)])
        }
        return cancelled
    }
}
