/// `BounceLedger` on one SQLite write transaction (`SQLiteStore.applyBounces`).
struct SQLiteBounceLedger: BounceLedger {
    let db: SQLiteDatabase

    func delivery(id: Int64) throws -> Delivery? {
        try db.prepare("SELECT \(SQLiteStore.deliveryColumns) FROM deliveries d WHERE d.id = ?")
            .rows([.integer(id)], SQLiteStore.readDelivery).first
    }

    func latestHandedOver(to address: String, since: Int64) throws -> Delivery? {
        // INDEXED BY: the partial index of sent deliveries by address; emails are stored lowercased.
        try db.prepare(
            """
            SELECT \(SQLiteStore.deliveryColumns) FROM deliveries d INDEXED BY deliveries_sent_address
            WHERE d.address = ? AND d.sent_at IS NOT NULL AND d.sent_at >= ?
              AND d.state IN ('sent','delivered','bounced','complained')
            ORDER BY d.sent_at DESC, d.id DESC LIMIT 1
            """
        ).rows([.text(address), .integer(since)], SQLiteStore.readDelivery).first
    }

    func hasBounce(key: String) throws -> Bool {
        try db.prepare(literal: "SELECT 1 FROM bounces WHERE key = ?").rows([.text(key)]) { _ in 1 }.first != nil
    }

    func insertBounce(_ r: BounceRecord) throws {
        try db.prepare(
            literal: """
                INSERT INTO bounces(key, at, address, kind, status, diagnostic, delivery_id, source, action, score)
                VALUES(?,?,?,?,?,?,?,?,?,?)
                """
        ).run([
            .text(r.key), .integer(r.at), SQLiteValue(r.address), .text(r.kind.rawValue), SQLiteValue(r.status),
            SQLiteValue(r.diagnostic), SQLiteValue(r.delivery), .text(r.source), .text(r.action.rawValue),
            r.score.map { .real($0) } ?? .null,
        ])
    }

    func score(address: String) throws -> BounceScore? {
        try SQLiteStore.bounceScore(db, address: address)
    }

    func setScore(_ s: BounceScore?, address: String) throws {
        guard let s else {
            try db.prepare(literal: "DELETE FROM bounce_scores WHERE address = ?").run([.text(address)])
            return
        }
        try db.prepare(
            literal: """
                INSERT INTO bounce_scores(address, score, day, day_weight, last_at) VALUES(?,?,?,?,?)
                ON CONFLICT(address) DO UPDATE SET score = excluded.score, day = excluded.day,
                    day_weight = excluded.day_weight, last_at = excluded.last_at
                """
        ).run([.text(address), .real(s.score), .integer(s.day), .real(s.dayWeight), .integer(s.lastAt)])
    }

    func settle(delivery id: Int64, as state: DeliveryState, from: Set<DeliveryState>, error: String, now: Int64)
        throws -> Bool
    {
        try db.prepare(
            """
            UPDATE deliveries SET state = ?, last_error = ?, updated_at = ?
            WHERE id = ? AND state IN (SELECT value FROM json_each(?))
            """
        ).run([
            .text(state.rawValue), .text(error), .integer(now), .integer(id),
            .text(JSON.array(from.map { .string($0.rawValue) }).serialized),
        ])
        return db.changes > 0
    }

    func suppress(address: String, reason: SuppressionReason, detail: String?) throws {
        try SQLiteStore.suppress(db, address: address, reason: reason, detail: detail)
    }

    func suppressionEntry(address: String) throws -> SuppressionEntry? {
        try SQLiteStore.suppressionEntry(db, address: address)
    }

    func removeSuppression(_ r: SuppressionRemoval) throws {
        try db.prepare("DELETE FROM suppressions WHERE address IN (?, ?)").run([
            .text(r.address), .text(SQLiteStore.erasedKey(r.address)),
        ])
        try db.prepare(
            """
            INSERT INTO suppression_removals(address, reason, detail, note, at_their_request, at) VALUES(?,?,?,?,?,?)
            """
        ).run([
            .text(r.address), .text(r.reason.rawValue), SQLiteValue(r.detail), .text(r.note),
            .integer(r.atTheirRequest ? 1 : 0), .integer(r.at),
        ])
    }

    func unsubscribeEverywhere(address: String, contactID: Int64?, consent: Consent, except: String?) throws
        -> [String]
    {
        let rows = try db.prepare(
            """
            SELECT l.name, m.contact_id FROM memberships m JOIN lists l ON l.id = m.list_id
            WHERE m.state IN ('subscribed','pending')
              AND (m.contact_id = ?2 OR m.contact_id IN (SELECT id FROM contacts WHERE email = ?1))
              AND (?3 IS NULL OR l.name <> ?3)
            ORDER BY l.name
            """
        ).rows([.text(address), SQLiteValue(contactID), SQLiteValue(except)]) { ($0.text(0), $0.int(1)) }
        let byList = Dictionary(grouping: rows, by: \.0).mapValues { $0.map(\.1) }
        for (list, ids) in byList.sorted(by: { $0.key < $1.key }) {
            try SQLiteStore.setMembership(
                db, list: list, contactIDs: ids, state: .unsubscribed, consent: consent, by: .person)
        }
        return byList.keys.sorted()
    }
}

extension SQLiteStore {
    static func bounceScore(_ db: SQLiteDatabase, address: String) throws -> BounceScore? {
        try db.prepare(literal: "SELECT score, day, day_weight, last_at FROM bounce_scores WHERE address = ?")
            .rows([.text(address)]) {
                BounceScore(
                    address: address, score: $0.double(0), day: $0.int(1), dayWeight: $0.double(2), lastAt: $0.int(3))
            }.first
    }

    /// The address's entry, or an erased person's hashed one (shown under the address asked).
    static func suppressionEntry(_ db: SQLiteDatabase, address: String) throws -> SuppressionEntry? {
        let plain = normalizedAddress(address)
        return try db.prepare(
            """
            SELECT reason, detail, created_at FROM suppressions WHERE address IN (?1, ?2)
            ORDER BY address = ?1 DESC LIMIT 1
            """
        ).rows([.text(plain), .text(erasedKey(address))]) {
            SuppressionEntry(
                address: plain, reason: SuppressionReason(rawValue: $0.text(0)) ?? .manual,
                detail: $0.optionalText(1), since: $0.int(2))
        }.first
    }
}
