extension SQLiteStore {
    public func applyBounces<T: Sendable>(_ body: (any BounceLedger) throws -> T) throws -> T {
        try write { db in try body(SQLiteBounceLedger(db: db)) }
    }

    static let bounceColumns = "id, at, address, kind, status, diagnostic, delivery_id, source, action, score, key"

    static func readBounce(_ s: SQLiteStatement) -> BounceRecord {
        BounceRecord(
            id: s.int(0), at: s.int(1), address: s.optionalText(2), kind: BounceKind(rawValue: s.text(3)) ?? .unknown,
            status: s.optionalText(4), diagnostic: s.optionalText(5), delivery: s.optionalInt(6), source: s.text(7),
            action: BounceAction(rawValue: s.text(8)) ?? .recorded, score: s.optionalDouble(9), key: s.text(10))
    }

    public func bounces(since: Int64?, address: String?, limit: Int) throws -> [BounceRecord] {
        try with { db in
            try db.prepare(
                """
                SELECT * FROM (SELECT \(Self.bounceColumns) FROM bounces
                    WHERE at >= ?1 AND (?2 IS NULL OR address = ?2) ORDER BY id DESC LIMIT ?3)
                ORDER BY id
                """
            ).rows(
                [
                    .integer(since ?? Int64.min), SQLiteValue(address.map(Self.normalizedAddress)),
                    .integer(Int64(limit)),
                ],
                Self.readBounce)
        }
    }

    public func suppressions(limit: Int) throws -> [SuppressionEntry] {
        try with { db in
            // An erased person's entry is a hash: nothing an officer can read or act on.
            try db.prepare(
                """
                SELECT address, reason, detail, created_at FROM suppressions
                WHERE NOT (address >= 'sha256:' AND address < 'sha256;') ORDER BY created_at, address LIMIT ?
                """
            ).rows([.integer(Int64(limit))]) {
                SuppressionEntry(
                    address: $0.text(0), reason: SuppressionReason(rawValue: $0.text(1)) ?? .manual,
                    detail: $0.optionalText(2), since: $0.int(3))
            }
        }
    }

    public func suppressionEntry(address: String) throws -> SuppressionEntry? {
        try with { db in try Self.suppressionEntry(db, address: address) }
    }

    public func bounceScore(address: String) throws -> BounceScore? {
        try with { db in try Self.bounceScore(db, address: Self.normalizedAddress(address)) }
    }

    public func suppressionRemovals(address: String) throws -> [SuppressionRemoval] {
        try with { db in try Self.suppressionRemovals(db, address: address) }
    }

    public func deliverability(list: String, since: Int64) throws -> ListDeliverability {
        try with { db in
            var out = ListDeliverability()
            let members = """
                FROM memberships m JOIN lists l ON l.id = m.list_id JOIN contacts c ON c.id = m.contact_id
                """
            for (reason, n) in try db.prepare(
                """
                SELECT s.reason, COUNT(DISTINCT c.id) \(members)
                JOIN suppressions s ON s.address IN (c.email, c.phone)
                WHERE l.name = ?1 AND m.state = 'subscribed' GROUP BY s.reason
                """
            ).rows([.text(list)], { ($0.text(0), $0.int(1)) }) {
                out.suppressed[SuppressionReason(rawValue: reason) ?? .manual, default: 0] += Int(n)
            }
            out.bounced = Int(
                try db.prepare(
                    """
                    SELECT COUNT(*) \(members) WHERE l.name = ?1 AND m.state = 'subscribed'
                    AND EXISTS (SELECT 1 FROM bounces b WHERE b.address IN (c.email, c.phone)
                        AND b.at >= ?2 AND b.kind IN ('hard', 'soft', 'complaint'))
                    """
                ).rows([.text(list), .integer(since)], { $0.int(0) }).first ?? 0)
            return out
        }
    }

    static func suppressionRemovals(_ db: SQLiteDatabase, address: String) throws -> [SuppressionRemoval] {
        try db.prepare(
            "SELECT address, reason, detail, note, at_their_request, at FROM suppression_removals WHERE address = ? ORDER BY id"
        ).rows([.text(normalizedAddress(address))]) {
            SuppressionRemoval(
                address: $0.text(0), reason: SuppressionReason(rawValue: $0.text(1)) ?? .manual,
                detail: $0.optionalText(2), note: $0.text(3), atTheirRequest: $0.int(4) != 0, at: $0.int(5))
        }
    }

    /// What the bounce tables hold about a person, for `contacts export`: their addresses' bounce
    /// records (and those of their deliveries), score and suppression removals.
    static func bounceExport(_ db: SQLiteDatabase, addresses: [String], contactID: Int64) throws -> [String: JSON] {
        let normalized = JSON.array(addresses.map { .string(normalizedAddress($0)) }).serialized
        let bounces = try db.prepare(
            """
            SELECT \(bounceColumns) FROM bounces WHERE address IN (SELECT value FROM json_each(?1))
               OR delivery_id IN (SELECT id FROM deliveries WHERE contact_id = ?2) ORDER BY id
            """
        ).rows([.text(normalized), .integer(contactID)], readBounce)
        return try BounceExport.json(
            bounces: bounces, addresses: addresses.map(normalizedAddress), score: { try bounceScore(db, address: $0) },
            removals: { try suppressionRemovals(db, address: $0) })
    }

    /// Forgets what the bounce tables hold about an erased person (in `eraseContact`'s transaction).
    static func eraseBounces(_ db: SQLiteDatabase, addresses: [String], deliveryIDs: [Int64]) throws {
        let normalized = JSON.array(addresses.map { .string(normalizedAddress($0)) }).serialized
        try db.prepare(
            """
            DELETE FROM bounces WHERE address IN (SELECT value FROM json_each(?1))
               OR delivery_id IN (SELECT value FROM json_each(?2))
            """
        ).run([.text(normalized), .text(JSON.array(deliveryIDs.map { JSON(Int($0)) }).serialized)])
        try db.prepare("DELETE FROM bounce_scores WHERE address IN (SELECT value FROM json_each(?))").run([
            .text(normalized)
        ])
        try db.prepare("DELETE FROM suppression_removals WHERE address IN (SELECT value FROM json_each(?))").run([
            .text(normalized)
        ])
    }
}
