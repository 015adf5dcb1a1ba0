import Foundation

extension PostgresStore {
    /// As SQLite's: each due reminder's `reminder_runs` row first (`ON CONFLICT DO NOTHING
    /// RETURNING`: a node inserting the same key at once waits for the first to commit and then
    /// inserts nothing), then its message and deliveries, in one transaction.
    @discardableResult
    public func fanOutDueReminders(now: Int64) throws -> ReminderFanOut {
        try write { db in
            var out = ReminderFanOut()
            // Locked as `events cancel`/`update` lock them: a change committed meanwhile is read as it
            // is now (PostgreSQL re-checks the row), so no reminder goes out for a cancelled or moved
            // occurrence. SQLite's single writer gives the same.
            let events = try db.rows(
                """
                SELECT \(Self.eventColumns) FROM events WHERE state = 'active' AND reminders <> '[]'
                ORDER BY id FOR UPDATE
                """, [], Self.readEvent)
            for e in events {
                try e.runDueReminders(now: now, into: &out) {
                    Dictionary(try Self.reminderMessages(db, e).map { ($0.key, $0.id) }) { a, _ in a }
                } record: { r, state, old in
                    try db.query(
                        """
                        INSERT INTO reminder_runs(event_id, occurrence_start, reminder_offset, occurrence, at, state,
                            message_id, ran_at)
                        VALUES($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING
                        """,
                        [
                            .integer(e.id!), .integer(r.key.occurrenceStart), .text(r.key.offset),
                            .integer(Int64(r.occurrence)), .integer(r.at), .text(state.rawValue), PostgresValue(old),
                            .integer(now),
                        ]
                    ).affected == 1
                } queue: { r in
                    let (mid, fan) = try Self.queueEventMessage(
                        db, e, template: EventTemplates().reminder, data: e.reminderData(r), at: now, now: now,
                        counting: false)
                    try db.query(
                        """
                        UPDATE reminder_runs SET message_id = $1
                        WHERE event_id = $2 AND occurrence_start = $3 AND reminder_offset = $4
                        """, [.integer(mid), .integer(e.id!), .integer(r.key.occurrenceStart), .text(r.key.offset)])
                    return fan.queued
                }
            }
            return out
        }
    }

    public func reminderRuns(eventID: Int64) throws -> [ReminderRun] {
        try with { db in
            try db.rows(
                """
                SELECT occurrence_start, reminder_offset, state, message_id, ran_at FROM reminder_runs
                WHERE event_id = $1 ORDER BY ran_at, occurrence_start, reminder_offset
                """, [.integer(eventID)]
            ) {
                ReminderRun(
                    key: ReminderKey(occurrenceStart: try $0.int(0), offset: $0.text(1)),
                    state: ReminderRunState(rawValue: $0.text(2)) ?? .queued, messageID: try $0.optionalInt(3),
                    ranAt: try $0.int(4))
            }
        }
    }

    /// As SQLite's: the reminder deliveries not yet sent whose occurrence or offset the changed
    /// schedule no longer has, and those queued ahead by an earlier version, cancelled.
    static func cancelStaleReminders(_ db: PostgresConnection, _ e: inout Event, now: Int64) throws -> Int {
        let ran = try db.rows(
            """
            SELECT occurrence_start, reminder_offset, message_id FROM reminder_runs
            WHERE event_id = $1 AND message_id IS NOT NULL
            """, [.integer(e.id!)]
        ) { (key: ReminderKey(occurrenceStart: try $0.int(0), offset: $0.text(1)), id: try $0.int(2)) }
        let ids = e.staleReminderMessages(ran: ran, now: now)
        guard !ids.isEmpty else { return 0 }
        let cancelled = try db.query(
            """
            UPDATE deliveries SET state = 'cancelled', cancel_reason = 'event-changed', last_error = 'event changed',
                updated_at = $1
            WHERE state IN ('queued', 'failed') AND message_id = ANY($2::bigint[])
            """, [.integer(now), .bigints(ids)]
        ).affected
        if !e.reminderMessageIDs.isEmpty {
            e.reminderMessageIDs = []
            try db.query("UPDATE events SET reminder_message_ids = '[]' WHERE id = $1", [.integer(e.id!)])
        }
        return cancelled
    }
}
