extension PostgresStore {
    /// Group commit: many enqueues in one transaction. A request refused for its idempotency key
    /// writes nothing, so it fails alone; any other error aborts the transaction, and the batch is
    /// redone with one savepoint per request (as SQLite's).
    public func enqueueBatch(_ requests: [EnqueueRequest]) throws -> [Result<EnqueueResult, any Error>] {
        do {
            return try write { db in
                try requests.map { r -> Result<EnqueueResult, any Error> in
                    do {
                        return .success(
                            try Self.enqueue(
                                db, r.message, deliveries: r.deliveries, idempotency: r.idempotency,
                                dataText: r.dataText))
                    } catch let e as StoreError {
                        guard case .idempotencyConflict = e else { throw e }
                        return .failure(e)
                    }
                }
            }
        } catch let e as PostgresError where e.isConnectionFailure {
            throw e
        } catch {
            slowPathCount.add(1, ordering: .relaxed)
            return try write { db in
                try requests.map { r in
                    try db.execute("SAVEPOINT one")
                    do {
                        let result = try Self.enqueue(
                            db, r.message, deliveries: r.deliveries, idempotency: r.idempotency, dataText: r.dataText)
                        try db.execute("RELEASE SAVEPOINT one")
                        return .success(result)
                    } catch {
                        try db.execute("ROLLBACK TO SAVEPOINT one")
                        try db.execute("RELEASE SAVEPOINT one")
                        return .failure(error)
                    }
                }
            }
        }
    }

    /// PostgreSQL has no separate flush of earlier commits: this commits durably, like
    /// `enqueueBatch`, and `syncCommitted` has nothing left to do.
    public func enqueueBatchUnsynced(_ requests: [EnqueueRequest]) throws -> [Result<EnqueueResult, any Error>] {
        try enqueueBatch(requests)
    }

    /// Nothing to flush: every commit was durable when it returned.
    public func syncCommitted() throws {}

    /// Group-commit batches that took the savepoint path since the store was opened.
    public var slowPathBatches: Int { slowPathCount.load(ordering: .relaxed) }

    /// Commits a transaction that is given a transaction id (and so writes a commit record to the
    /// WAL) but changes no row.
    public func probeWrite() throws {
        try write { db in _ = try db.query("SELECT txid_current()") }
    }

    public func setChannelOutage(_ channel: String, _ outage: ChannelAvailability.Outage?) throws {
        try write { db in
            guard let o = outage else {
                try db.query("DELETE FROM channel_status WHERE channel = $1", [.text(channel)])
                return
            }
            try db.query(
                """
                INSERT INTO channel_status(channel, down_since, last_error, next_probe_at, updated_at)
                VALUES($1, $2, $3, $4, $5)
                ON CONFLICT(channel) DO UPDATE SET down_since = LEAST(channel_status.down_since, excluded.down_since),
                    last_error = excluded.last_error, next_probe_at = excluded.next_probe_at,
                    updated_at = excluded.updated_at
                """,
                [
                    .text(channel), .integer(o.since), .text(o.lastError), .integer(o.nextProbeAt),
                    .integer(WallClock.nowMillis()),
                ])
        }
    }

    public func channelOutages() throws -> [String: ChannelAvailability.Outage] {
        let rows = try with { db in
            try db.query("SELECT channel, down_since, last_error, next_probe_at FROM channel_status").rows
        }
        var out: [String: ChannelAvailability.Outage] = [:]
        for r in rows {
            out[r.text(0)] = ChannelAvailability.Outage(
                since: try r.int(1), lastError: r.text(2), failures: 0, nextProbeAt: try r.int(3))
        }
        return out
    }

    public func reschedule(_ deferrals: [(id: Int64, at: Int64)], owner: String, note: String) throws {
        let items = deferrals.map { Deferral(id: $0.id, at: $0.at) }
        try write { db in
            for d in items {
                try db.query(
                    """
                    UPDATE deliveries SET state = CASE WHEN attempts > 1 THEN 'failed' ELSE 'queued' END,
                        attempts = attempts - 1, next_attempt_at = $1, last_error = $2, lease_owner = NULL,
                        lease_expires_at = NULL
                    WHERE id = $3 AND lease_owner = $4 AND state = 'sending'
                    """, [.integer(d.at), .text(note), .integer(d.id), .text(owner)])
            }
        }
    }

    struct Deferral: Sendable {
        var id: Int64
        var at: Int64
    }

    @discardableResult
    public func releaseAll(owner: String) throws -> Int {
        try write { db in
            try db.query(
                """
                UPDATE deliveries SET state = CASE WHEN attempts > 1 THEN 'failed' ELSE 'queued' END,
                    attempts = attempts - 1, lease_owner = NULL, lease_expires_at = NULL
                WHERE lease_owner = $1 AND state = 'sending'
                """, [.text(owner)]
            ).affected
        }
    }

    /// Ends now the unexpired leases whose holder `isGone` says has stopped; the attempt stays counted.
    public func expireLeases(now: Int64, heldBy isGone: (String) -> Bool) throws -> Int {
        try write { db in
            let owners = try db.rows(
                "SELECT DISTINCT lease_owner FROM deliveries WHERE state = 'sending' AND lease_expires_at > $1",
                [.integer(now)]
            ) { $0.optionalText(0) }
            let gone = owners.compactMap { $0 }.filter(isGone)
            if gone.isEmpty { return 0 }
            return try db.query(
                """
                UPDATE deliveries SET lease_expires_at = $1
                WHERE lease_owner = ANY($2::text[]) AND state = 'sending' AND lease_expires_at > $1
                """, [.integer(now), .texts(gone)]
            ).affected
        }
    }

    /// The leases of processes of this machine that are no longer running (see `LeaseOwner`). On
    /// several nodes each sees only its own host's processes; a dead node's leases are ended by the
    /// others through the `nodes` table (`releaseDeadNodes`, docs/scale-out.md).
    @discardableResult
    public func expireLeasesOfStoppedProcesses(now: Int64) throws -> Int {
        try expireLeases(now: now) { LeaseOwner($0)?.isGone ?? false }
    }

    public func nextDue(channel: String) throws -> Int64? {
        try with { db in
            try db.rows(
                """
                SELECT LEAST(
                    (SELECT MIN(next_attempt_at) FROM deliveries WHERE state IN ('queued', 'failed') AND channel = $1),
                    (SELECT MIN(lease_expires_at) FROM deliveries WHERE state = 'sending' AND channel = $1))
                """, [.text(channel)]
            ) { try $0.optionalInt(0) }.first ?? nil
        }
    }

    public func recordReceipt(_ r: Receipt, channel: String, now: Int64) throws -> Int64? {
        try write { db in
            var id: Int64?
            if let d = r.deliveryID {
                id = try db.rows(
                    "SELECT id FROM deliveries WHERE id = $1 AND channel = $2", [.integer(d), .text(channel)]
                ) { try $0.int(0) }.first
            } else if let p = r.providerID {
                id = try db.rows(
                    "SELECT id FROM deliveries WHERE provider_id = $1 AND channel = $2", [.text(p), .text(channel)]
                ) { try $0.int(0) }.first
            }
            guard let id else { return nil }
            switch r.state {
            case .pending:
                break
            case .delivered:
                try db.query(
                    """
                    UPDATE deliveries SET state = 'delivered', updated_at = $1
                    WHERE id = $2 AND state IN ('sent', 'sending', 'delivered')
                    """, [.integer(now), .integer(id)])
            case .failed:
                let address = try db.rows(
                    """
                    UPDATE deliveries SET state = 'bounced', last_error = $1, updated_at = $2
                    WHERE id = $3 AND state IN ('sent', 'sending', 'delivered') RETURNING address
                    """, [PostgresValue(r.reason), .integer(now), .integer(id)]
                ) { $0.text(0) }.first
                if r.suppress, let address {
                    try Self.suppress(db, address: address, reason: .bounce, detail: r.reason)
                }
            }
            return id
        }
    }
}
