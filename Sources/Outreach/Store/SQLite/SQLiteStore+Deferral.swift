extension SQLiteStore {
    /// Gives leased deliveries back to be tried at a later instant without counting the attempt
    /// (quiet hours: nothing was sent). A lease that was lost is left alone.
    public func reschedule(_ deferrals: [(id: Int64, at: Int64)], owner: String, note: String) throws {
        try write { db in
            let q = try db.prepare("""
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
            try db.prepare("""
                UPDATE deliveries SET state = CASE WHEN attempts > 1 THEN 'failed' ELSE 'queued' END, attempts = attempts - 1,
                lease_owner = NULL, lease_expires_at = NULL WHERE lease_owner = ? AND state = 'sending'
                """).run([.text(owner)])
            return db.changes
        }
    }
}
