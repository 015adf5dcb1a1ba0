/// `NodeRegistry` (through `Store`).
extension PostgresStore {
    /// An upsert; a heartbeat never moves the time back (a node's clock stepping back, or two
    /// beats crossing).
    public func heartbeat(node: String, now: Int64) throws {
        try write { db in
            _ = try db.query(
                """
                INSERT INTO nodes(id, started_at, heartbeat_at) VALUES($1, $2, $2)
                ON CONFLICT(id) DO UPDATE SET heartbeat_at = GREATEST(nodes.heartbeat_at, excluded.heartbeat_at)
                """, [.text(node), .integer(now)])
        }
    }

    /// One statement: the dead nodes' rows are deleted and their leases ended together. Two nodes
    /// doing it at once: the second waits for the first's row locks, then finds the rows gone and
    /// releases nothing twice. The lease is ended (`lease_expires_at = now`), not given back, as
    /// `expireLeases` does: the next claim takes it over with the attempt counted, and the new
    /// owner's name is what refuses the dead node's late completion.
    @discardableResult
    public func releaseDeadNodes(olderThan: Int64, now: Int64) throws -> Int {
        try write { db in
            let n = try db.rows(
                """
                WITH dead AS (DELETE FROM nodes WHERE heartbeat_at < $1 RETURNING id),
                released AS (
                    UPDATE deliveries SET lease_expires_at = $2
                    WHERE state = 'sending' AND lease_owner IN (SELECT id FROM dead) AND lease_expires_at > $2
                    RETURNING 1)
                SELECT count(*) FROM released
                """, [.integer(olderThan), .integer(now)]
            ) { try $0.int(0) }.first
            return Int(n ?? 0)
        }
    }
}
