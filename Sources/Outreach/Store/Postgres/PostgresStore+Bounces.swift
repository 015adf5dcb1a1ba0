import Foundation

extension PostgresStore: BounceStore {
    public func applyBounces<T: Sendable>(_ body: (any BounceLedger) throws -> T) throws -> T {
        try write { db in try body(PostgresBounceLedger(db: db)) }
    }

    static let bounceColumns = "id, at, address, kind, status, diagnostic, delivery_id, source, action, score, key"

    static func readBounce(_ r: PostgresRow) throws -> BounceRecord {
        BounceRecord(
            id: try r.int(0), at: try r.int(1), address: r.optionalText(2),
            kind: BounceKind(rawValue: r.text(3)) ?? .unknown, status: r.optionalText(4),
            diagnostic: r.optionalText(5), delivery: try r.optionalInt(6), source: r.text(7),
            action: BounceAction(rawValue: r.text(8)) ?? .recorded, score: r.optionalText(9).flatMap(Double.init),
            key: r.text(10))
    }

    public func bounces(since: Int64?, address: String?, limit: Int) throws -> [BounceRecord] {
        try with { db in
            try db.rows(
                """
                SELECT * FROM (SELECT \(Self.bounceColumns) FROM bounces
                    WHERE at >= $1 AND ($2::text IS NULL OR address = $2) ORDER BY id DESC LIMIT $3) b
                ORDER BY id
                """,
                [
                    .integer(since ?? Int64.min), PostgresValue(address.map(SQLiteStore.normalizedAddress)),
                    .integer(Int64(limit)),
                ], Self.readBounce)
        }
    }

    public func suppressions(limit: Int) throws -> [SuppressionEntry] {
        try with { db in
            try db.rows(
                """
                SELECT address, reason, detail, created_at FROM suppressions
                WHERE address NOT LIKE 'sha256:%' ORDER BY created_at, address LIMIT $1
                """, [.integer(Int64(limit))]
            ) {
                SuppressionEntry(
                    address: $0.text(0), reason: SuppressionReason(rawValue: $0.text(1)) ?? .manual,
                    detail: $0.optionalText(2), since: try $0.int(3))
            }
        }
    }

    public func suppressionEntry(address: String) throws -> SuppressionEntry? {
        try with { db in try Self.suppressionEntry(db, address: address) }
    }

    public func bounceScore(address: String) throws -> BounceScore? {
        try with { db in try Self.bounceScore(db, address: SQLiteStore.normalizedAddress(address)) }
    }

    public func suppressionRemovals(address: String) throws -> [SuppressionRemoval] {
        try with { db in try Self.suppressionRemovals(db, address: address) }
    }

    static func bounceScore(_ db: PostgresConnection, address: String) throws -> BounceScore? {
        try db.rows(
            "SELECT score::text, day, day_weight::text, last_at FROM bounce_scores WHERE address = $1",
            [.text(address)]
        ) {
            BounceScore(
                address: address, score: Double($0.text(0)) ?? 0, day: try $0.int(1),
                dayWeight: Double($0.text(2)) ?? 0, lastAt: try $0.int(3))
        }.first
    }

    /// The address's entry, or an erased person's hashed one (shown under the address asked).
    public func deliverability(list: String, since: Int64) throws -> ListDeliverability {
        try with { db in
            var out = ListDeliverability()
            let members = """
                FROM memberships m JOIN lists l ON l.id = m.list_id JOIN contacts c ON c.id = m.contact_id
                """
            for (reason, n) in try db.rows(
                """
                SELECT s.reason, COUNT(DISTINCT c.id) \(members)
                JOIN suppressions s ON s.address IN (c.email, c.phone)
                WHERE l.name = $1 AND m.state = 'subscribed' GROUP BY s.reason
                """, [.text(list)], { ($0.text(0), try $0.int(1)) })
            {
                out.suppressed[SuppressionReason(rawValue: reason) ?? .manual, default: 0] += Int(n)
            }
            out.bounced = Int(
                try db.rows(
                    """
                    SELECT COUNT(*) \(members) WHERE l.name = $1 AND m.state = 'subscribed'
                    AND EXISTS (SELECT 1 FROM bounces b WHERE b.address IN (c.email, c.phone)
                        AND b.at >= $2 AND b.kind IN ('hard', 'soft', 'complaint'))
                    """, [.text(list), .integer(since)], { try $0.int(0) }
                ).first ?? 0)
            return out
        }
    }

    static func suppressionEntry(_ db: PostgresConnection, address: String) throws -> SuppressionEntry? {
        let plain = SQLiteStore.normalizedAddress(address)
        return try db.rows(
            """
            SELECT reason, detail, created_at FROM suppressions WHERE address IN ($1, $2)
            ORDER BY address = $1 DESC LIMIT 1
            """, [.text(plain), .text(SQLiteStore.erasedKey(address))]
        ) {
            SuppressionEntry(
                address: plain, reason: SuppressionReason(rawValue: $0.text(0)) ?? .manual,
                detail: $0.optionalText(1), since: try $0.int(2))
        }.first
    }

    static func suppressionRemovals(_ db: PostgresConnection, address: String) throws -> [SuppressionRemoval] {
        try db.rows(
            """
            SELECT address, reason, detail, note, at_their_request, at FROM suppression_removals
            WHERE address = $1 ORDER BY id
            """, [.text(SQLiteStore.normalizedAddress(address))]
        ) {
            SuppressionRemoval(
                address: $0.text(0), reason: SuppressionReason(rawValue: $0.text(1)) ?? .manual,
                detail: $0.optionalText(2), note: $0.text(3), atTheirRequest: try $0.bool(4), at: try $0.int(5))
        }
    }

    /// What the bounce tables hold about a person, for `contacts export`.
    static func bounceExport(_ db: PostgresConnection, addresses: [String], contactID: Int64) throws -> [String: JSON] {
        let normalized = addresses.map(SQLiteStore.normalizedAddress)
        let bounces = try db.rows(
            """
            SELECT \(bounceColumns) FROM bounces WHERE address = ANY($1::text[])
               OR delivery_id IN (SELECT id FROM deliveries WHERE contact_id = $2) ORDER BY id
            """, [.texts(normalized), .integer(contactID)], readBounce
        )
        return try BounceExport.json(
            bounces: bounces, addresses: normalized, score: { try bounceScore(db, address: $0) },
            removals: { try suppressionRemovals(db, address: $0) })
    }

    /// Forgets what the bounce tables hold about an erased person (in `eraseContact`'s transaction).
    static func eraseBounces(_ db: PostgresConnection, addresses: [String], deliveryIDs: [Int64]) throws {
        let normalized = PostgresValue.texts(addresses.map(SQLiteStore.normalizedAddress))
        try db.query(
            "DELETE FROM bounces WHERE address = ANY($1::text[]) OR delivery_id = ANY($2::bigint[])",
            [normalized, .bigints(deliveryIDs)])
        try db.query("DELETE FROM bounce_scores WHERE address = ANY($1::text[])", [normalized])
        try db.query("DELETE FROM suppression_removals WHERE address = ANY($1::text[])", [normalized])
    }
}
