import Foundation

extension SQLiteStore {
    /// Queues the reminders that open-ended series (no COUNT, no UNTIL) have come within reach of.
    ///
    /// Their reminders are queued `EventSchedule.horizonYears` ahead when the event is created or
    /// changed; as time passes the horizon moves on, and this queues, once each, the reminders of
    /// the occurrences it has reached, to the list's members of that moment. `serve` calls it at
    /// start and every hour, `work` at the start of each run. Returns the reminder deliveries queued.
    @discardableResult
    public func extendOpenSeriesReminders(now: Int64) throws -> EventQueued {
        try write { db in
            var out = EventQueued()
            let events = try db.prepare(
                "SELECT \(Self.eventColumns) FROM events WHERE state = 'active' AND rrule IS NOT NULL"
            )
            .rows([], Self.readEvent)
            for var e in events where !e.schedule.isFinite {
                let queued = try Self.reminderMessages(db, e)
                let have = Set(queued.map(\.key))
                let missing = e.plannedReminders(now: now).filter { !have.contains($0.key) }
                let added = try Self.queueReminders(
                    db, e, missing, template: queued.last?.template ?? EventTemplates().reminder,
                    now: now, into: &out)
                guard !added.isEmpty else { continue }
                e.reminderMessageIDs += added
                try db.prepare("UPDATE events SET reminder_message_ids = ? WHERE id = ?")
                    .run([.text(JSON.array(e.reminderMessageIDs.map { JSON(Int($0)) }).serialized), .integer(e.id!)])
            }
            return out
        }
    }
}
