extension SQLiteStore {
    /// Gives leased deliveries back to be tried at a later instant without counting the attempt
    /// (quiet hours: nothing was sent). A lease that was lost is left alone.
    public func reschedule(_ deferrals: [(id: Int64, at: Int64)], owner: String, note: String) throws {
        try write { db in
            let q = try db.prepare(
                """
                UPDATE deliveries SET state = CASE WHEN attempts > 1 THEN 'failed' ELSE 'queued' END, attempts = attempts - 1,
                next_attempt_at = ?1, last_error = ?2, lease_owner = NULL, lease_expires_at = NULL
                WHERE id = ?3 AND lease_owner = ?4 AND state = 'sending'
                """)
            for d in deferrals { try q.run([.integer(d.at), .text(note), .integer(d.id), .text(owner)]) }
        }
    }

    /// Gives back every lease `owner` still holds (shutdown after the drain timeout); returns how many.
    @discardableResult
    public func releaseAll(owner: String) throws -> Int {
        try write { db in
            try db.prepare(
                """
                UPDATE deliveries SET state = CASE WHEN attempts > 1 THEN 'failed' ELSE 'queued' END, attempts = attempts - 1,
                lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = ? AND state = 'sending'
                """
            ).run([.text(owner)])
            return db.changes
        }
    }
}

extension SQLiteStore {
    /// The earliest instant something on `channel` is due (a queued or failed delivery's next
    /// attempt, or a lease's expiry). Walks the due and lease indexes in order and stops at the
    /// first row of the channel, so it stays cheap with many deliveries scheduled for later.
    public func nextDue(channel: String) throws -> Int64? {
        try with { db in
            let due = try db.prepare(
                """
                SELECT next_attempt_at FROM deliveries INDEXED BY deliveries_due
                WHERE state IN ('queued','failed') AND channel = ? ORDER BY next_attempt_at LIMIT 1
                """
            ).rows([.text(channel)]) { $0.int(0) }.first
            let lease = try db.prepare(
                """
                SELECT lease_expires_at FROM deliveries INDEXED BY deliveries_leased
                WHERE state = 'sending' AND channel = ? ORDER BY lease_expires_at LIMIT 1
                """
            ).rows([.text(channel)]) { $0.int(0) }.first
            return [due, lease].compactMap { $0 }.min()
        }
    }
}
