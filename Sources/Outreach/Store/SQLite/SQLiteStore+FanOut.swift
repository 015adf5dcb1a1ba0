extension SQLiteStore {
    /// One delivery per subscribed member of `list` (matching `filters` on attributes) and channel,
    /// inserted by SQLite itself in one `INSERT … SELECT` per channel — no contacts in memory.
    /// Suppressed addresses are inserted as `suppressed`; a room channel gets one delivery.
    /// Running it again for the same message inserts nothing new.
    /// `only` restricts it to some members (those who just joined the list).
    static func fanOut(
        _ db: SQLiteDatabase, messageID: Int64, list: String, filters: [String: String],
        channels: [CampaignChannel], at: Int64, now: Int64, only: MemberRange? = nil
    ) throws -> FanOut {
        var out = FanOut()
        var filterSQL = ""
        var filterValues: [SQLiteValue] = []
        switch only {
        case nil: break
        case .ids(let ids):
            filterSQL += " AND c.id IN (SELECT value FROM json_each(?))"
            filterValues.append(.text("[" + ids.map(String.init).joined(separator: ",") + "]"))
        case .between(let first, let last):
            filterSQL += " AND c.id BETWEEN ? AND ?"
            filterValues += [.integer(first), .integer(last)]
        }
        for (k, v) in filters.sorted(by: { $0.key < $1.key }) {
            filterSQL += " AND json_extract(c.attributes, ?) = ?"
            filterValues += [.text("$.\"" + k.replacingOccurrences(of: "\"", with: "") + "\""), .text(v)]
        }
        let members =
            "FROM memberships m JOIN lists l ON l.id = m.list_id JOIN contacts c ON c.id = m.contact_id WHERE l.name = ? AND m.state = 'subscribed'"
            + filterSQL
        let base: [SQLiteValue] = [.text(list)] + filterValues
        for ch in channels {
            if ch.address == .room {
                // A room gets one post per campaign, not one per person.
                try db.prepare(
                    """
                    INSERT INTO deliveries(message_id, channel, address, state, next_attempt_at, created_at, updated_at)
                    VALUES(?, ?, ?, 'queued', ?, ?, ?) ON CONFLICT(message_id, channel, address) DO NOTHING
                    """
                ).run([
                    .integer(messageID), .text(ch.name), .text(RecipientAddress.room), .integer(at), .integer(now),
                    .integer(now),
                ])
                out.queued += db.changes
                continue
            }
            let col: String
            switch ch.address {
            case .email: col = "c.email"
            case .phone: col = "c.phone"
            default:
                col =
                    "json_extract(c.attributes, '$.\""
                    + (ch.attribute ?? "").replacingOccurrences(of: "\"", with: "").replacingOccurrences(
                        of: "'", with: "") + "\"')"
            }
            out.noAddress += Int(
                try db.prepare("SELECT COUNT(*) \(members) AND \(col) IS NULL").rows(base) { $0.int(0) }.first ?? 0)
            // Erased people who were imported again carry a plain suppression (see upsert), so one join suffices.
            try db.prepare(
                """
                INSERT INTO deliveries(message_id, contact_id, channel, address, name, locale, timezone, state, next_attempt_at, last_error, created_at, updated_at)
                SELECT ?, c.id, ?, \(col), c.name, c.locale, c.timezone,
                       CASE WHEN s.address IS NULL THEN 'queued' ELSE 'suppressed' END, ?,
                       CASE WHEN s.address IS NULL THEN NULL ELSE 'suppressed: ' || s.reason END, ?, ?
                \(members.replacingOccurrences(of: "WHERE", with: "LEFT JOIN suppressions s ON s.address = \(col) WHERE")) AND \(col) IS NOT NULL
                ON CONFLICT(message_id, channel, address) DO NOTHING
                """
            )
            .run([.integer(messageID), .text(ch.name), .integer(at), .integer(now), .integer(now)] + base)
            out.queued += db.changes
        }
        out.suppressed = Int(
            try db.prepare("SELECT COUNT(*) FROM deliveries WHERE message_id = ? AND state = 'suppressed'").rows([
                .integer(messageID)
            ]) { $0.int(0) }.first ?? 0)
        out.queued -= out.suppressed
        return out
    }
}

/// Some of a list's members, by contact id.
enum MemberRange {
    case ids([Int64])
    /// Contacts inserted by one import chunk have consecutive ids.
    case between(Int64, Int64)
}
