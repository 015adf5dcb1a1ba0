/// `BounceLedger` on one PostgreSQL transaction (`PostgresStore.applyBounces`): SQLite's steps
/// (`SQLiteBounceLedger`) in PostgreSQL's SQL.
struct PostgresBounceLedger: BounceLedger {
    let db: PostgresConnection

    func delivery(id: Int64) throws -> Delivery? {
        try db.rows(
            "SELECT \(PostgresStore.deliveryColumns) FROM deliveries d WHERE d.id = $1", [.integer(id)],
            PostgresStore.readDelivery
        ).first
    }

    func latestHandedOver(to address: String, since: Int64) throws -> Delivery? {
        try db.rows(
            """
            SELECT \(PostgresStore.deliveryColumns) FROM deliveries d
            WHERE d.address = $1 AND d.sent_at IS NOT NULL AND d.sent_at >= $2
              AND d.state IN ('sent', 'delivered', 'bounced', 'complained')
            ORDER BY d.sent_at DESC, d.id DESC LIMIT 1
            """, [.text(address), .integer(since)], PostgresStore.readDelivery
        ).first
    }

    func hasBounce(key: String) throws -> Bool {
        try !db.query("SELECT 1 FROM bounces WHERE key = $1", [.text(key)]).rows.isEmpty
    }

    func insertBounce(_ r: BounceRecord) throws {
        try db.query(
            """
            INSERT INTO bounces(key, at, address, kind, status, diagnostic, delivery_id, source, action, score)
            VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::double precision)
            """,
            [
                .text(r.key), .integer(r.at), PostgresValue(r.address), .text(r.kind.rawValue), PostgresValue(r.status),
                PostgresValue(r.diagnostic), PostgresValue(r.delivery), .text(r.source), .text(r.action.rawValue),
                PostgresValue(r.score.map { String($0) }),
            ])
    }

    func score(address: String) throws -> BounceScore? { try PostgresStore.bounceScore(db, address: address) }

    func setScore(_ s: BounceScore?, address: String) throws {
        guard let s else {
            try db.query("DELETE FROM bounce_scores WHERE address = $1", [.text(address)])
            return
        }
        try db.query(
            """
            INSERT INTO bounce_scores(address, score, day, day_weight, last_at)
            VALUES($1, $2::double precision, $3, $4::double precision, $5)
            ON CONFLICT(address) DO UPDATE SET score = excluded.score, day = excluded.day,
                day_weight = excluded.day_weight, last_at = excluded.last_at
            """,
            [.text(address), .text(String(s.score)), .integer(s.day), .text(String(s.dayWeight)), .integer(s.lastAt)])
    }

    func settle(delivery id: Int64, as state: DeliveryState, from: Set<DeliveryState>, error: String, now: Int64)
        throws -> Bool
    {
        try db.query(
            """
            UPDATE deliveries SET state = $1, last_error = $2, updated_at = $3
            WHERE id = $4 AND state = ANY($5::text[])
            """,
            [.text(state.rawValue), .text(error), .integer(now), .integer(id), .texts(from.map(\.rawValue))]
        ).affected > 0
    }

    func suppress(address: String, reason: SuppressionReason, detail: String?) throws {
        try PostgresStore.suppress(db, address: address, reason: reason, detail: detail)
    }

    func suppressionEntry(address: String) throws -> SuppressionEntry? {
        try PostgresStore.suppressionEntry(db, address: address)
    }

    func removeSuppression(_ r: SuppressionRemoval) throws {
        try db.query(
            "DELETE FROM suppressions WHERE address IN ($1, $2)",
            [.text(r.address), .text(SQLiteStore.erasedKey(r.address))])
        try db.query(
            """
            INSERT INTO suppression_removals(address, reason, detail, note, at_their_request, at)
            VALUES($1, $2, $3, $4, $5, $6)
            """,
            [
                .text(r.address), .text(r.reason.rawValue), PostgresValue(r.detail), .text(r.note),
                .text(r.atTheirRequest ? "true" : "false"), .integer(r.at),
            ])
    }

    func unsubscribeEverywhere(address: String, contactID: Int64?, consent: Consent, except: String?) throws
        -> [String]
    {
        let rows = try db.rows(
            """
            SELECT l.name, m.contact_id FROM memberships m JOIN lists l ON l.id = m.list_id
            WHERE m.state IN ('subscribed', 'pending')
              AND (m.contact_id = $2 OR m.contact_id IN (SELECT id FROM contacts WHERE email = $1))
              AND ($3::text IS NULL OR l.name <> $3)
            ORDER BY l.name
            """, [.text(address), PostgresValue(contactID), PostgresValue(except)]
        ) { ($0.text(0), try $0.int(1)) }
        let byList = Dictionary(grouping: rows, by: \.0).mapValues { $0.map(\.1) }
        for (list, ids) in byList.sorted(by: { $0.key < $1.key }) {
            try PostgresStore.setMembership(
                db, list: list, contactIDs: ids, state: .unsubscribed, consent: consent, by: .person)
        }
        return byList.keys.sorted()
    }
}
