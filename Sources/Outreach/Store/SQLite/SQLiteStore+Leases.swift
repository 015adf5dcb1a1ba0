extension SQLiteStore {
    /// Ends now the unexpired leases whose holder `isGone` says has stopped, so the next claim takes
    /// their deliveries over at once instead of when the lease runs out. The attempt stays counted,
    /// as when a lease expires: the holder may have sent before it died. Returns how many deliveries.
    public func expireLeases(now: Int64, heldBy isGone: (String) -> Bool) throws -> Int {
        try write { db in
            // Only deliveries in flight are read (the partial index), however long the queue.
            let owners = try db.prepare(
                """
                SELECT DISTINCT lease_owner FROM deliveries INDEXED BY deliveries_leased
                WHERE state = 'sending' AND lease_expires_at > ?
                """
            ).rows([.integer(now)]) { $0.optionalText(0) }
            let expire = try db.prepare(
                """
                UPDATE deliveries SET lease_expires_at = ?1
                WHERE lease_owner = ?2 AND state = 'sending' AND lease_expires_at > ?1
                """)
            var n = 0
            for case let owner? in owners where isGone(owner) {
                try expire.run([.integer(now), .text(owner)])
                n += db.changes
            }
            return n
        }
    }

    /// Ends the leases of processes of this machine that are no longer running (see `LeaseOwner`);
    /// `serve` and `work` call it when they start.
    public func expireLeasesOfStoppedProcesses(now: Int64 = WallClock.nowMillis()) throws -> Int {
        try expireLeases(now: now) { LeaseOwner($0)?.isGone ?? false }
    }
}
