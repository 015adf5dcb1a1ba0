import Foundation

extension SQLiteStore {
    /// Brings people who just became subscribed members of `list` into its events that still have
    /// an occurrence ahead: the event's current invitation (or update), now. Their reminders need
    /// nothing: each is fanned out to the members of the moment it falls due. Deliveries they
    /// already have are left alone (the fan-out skips them). Returns how many deliveries were queued.
    @discardableResult
    static func joinEvents(_ db: SQLiteDatabase, list: String, members: MemberRange, now: Int64) throws -> Int {
        let events = try db.prepare("SELECT \(eventColumns) FROM events WHERE state = 'active' AND list_name = ?")
            .rows([.text(list)], readEvent)
        let moment = Date(timeIntervalSince1970: Double(now) / 1000)
        var queued = 0
        for e in events where !e.schedule.occurrences(endingAfter: moment).isEmpty {
            if let invitation = e.invitationMessageID {
                queued += try requeueLeft(db, messageID: invitation, members: members, at: now, now: now)
                queued += try fanOut(
                    db, messageID: invitation, list: list, segment: Segment(), channels: e.channels, at: now, now: now,
                    only: members, prefer: e.prefer
                ).queued
            }
        }
        return queued
    }

    /// The event's current reminder messages: which reminder each is (`Event.reminderKey`), and its template.
    static func reminderMessages(_ db: SQLiteDatabase, _ e: Event) throws -> [(
        id: Int64, key: String, template: String
    )] {
        try db.prepare(
            literal: """
                SELECT id, json_extract(data, '$.event.occurrence'), json_extract(data, '$.reminder'), template
                FROM messages WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id
                """
        ).rows([.text(JSON.array(e.reminderMessageIDs.map { JSON(Int($0)) }).serialized)]) {
            (
                id: $0.int(0), key: Event.reminderKey(occurrence: Int($0.int(1)), offset: $0.text(2)),
                template: $0.text(3)
            )
        }
    }

    /// Someone who left and came back: the deliveries their leaving cancelled are queued again
    /// (the fan-out would skip them, as they exist).
    static func requeueLeft(_ db: SQLiteDatabase, messageID: Int64, members: MemberRange, at: Int64, now: Int64) throws
        -> Int
    {
        var sql = """
            UPDATE deliveries SET state = 'queued', cancel_reason = NULL, last_error = NULL, next_attempt_at = ?, updated_at = ?
            WHERE message_id = ? AND state = 'cancelled' AND cancel_reason IN ('unsubscribed', 'not-subscribed')
            """
        var values: [SQLiteValue] = [.integer(at), .integer(now), .integer(messageID)]
        switch members {
        case .ids(let ids):
            sql += " AND contact_id IN (SELECT value FROM json_each(?))"
            values.append(.text("[" + ids.map(String.init).joined(separator: ",") + "]"))
        case .between:
            return 0  // contacts just created have never left anything
        }
        try db.prepare(sql).run(values)
        return db.changes
    }
}
