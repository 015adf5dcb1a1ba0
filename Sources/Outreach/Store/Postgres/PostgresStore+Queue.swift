extension PostgresStore {
    static let deliveryColumns = """
        d.id, d.message_id, d.contact_id, d.channel, d.address, d.name, d.locale, d.timezone, d.state, d.attempts,
        d.next_attempt_at, d.last_error, d.provider_id, d.created_at, d.updated_at, d.sent_at, d.cancel_reason
        """

    static func readDelivery(_ r: PostgresRow) throws -> Delivery {
        Delivery(
            id: try r.int(0), messageID: try r.int(1), contactID: try r.optionalInt(2), channel: r.text(3),
            address: r.text(4), name: r.optionalText(5), locale: r.optionalText(6), timeZone: r.optionalText(7),
            state: DeliveryState(rawValue: r.text(8)) ?? .queued, attempts: Int(try r.int(9)),
            nextAttemptAt: try r.optionalInt(10), lastError: r.optionalText(11), providerID: r.optionalText(12),
            createdAt: try r.int(13), updatedAt: try r.int(14), sentAt: try r.optionalInt(15),
            cancelReason: r.optionalText(16).flatMap(CancelReason.init))
    }

    public func enqueue(_ message: Message, deliveries: [NewDelivery], idempotency: IdempotencyKey?) throws
        -> EnqueueResult
    {
        try write { db in try Self.enqueue(db, message, deliveries: deliveries, idempotency: idempotency) }
    }

    /// As SQLite's. The key is claimed by the message's insert (`ON CONFLICT DO NOTHING` on the
    /// partial unique index): a node inserting the same key at the same time waits for the first
    /// transaction, then inserts nothing and answers with the first's result.
    static func enqueue(
        _ db: PostgresConnection, _ message: Message, deliveries: [NewDelivery], idempotency: IdempotencyKey?,
        dataText: String? = nil
    ) throws -> EnqueueResult {
        let now = WallClock.nowMillis()
        let messageID: Int64
        if let id = message.id {
            messageID = id
            if let idem = idempotency {
                if let replay = try replayed(db, idem) { return replay }
                try db.query(
                    "UPDATE messages SET idempotency_key = $1, request_hash = $2 WHERE id = $3",
                    [.text(idem.key), .bytes(idem.requestHash), .integer(id)])
            }
        } else {
            let attachments =
                message.attachments.isEmpty ? "[]" : JSON.array(message.attachments.map { .string($0) }).serialized
            let inserted = try db.rows(
                """
                INSERT INTO messages(template, data, kind, list_name, campaign_id, event_id, attachments, created_at,
                    idempotency_key, request_hash)
                VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                ON CONFLICT(idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING RETURNING id
                """,
                [
                    .text(message.template), .text(dataText ?? message.data.serialized), .text(message.kind.rawValue),
                    PostgresValue(message.listName), PostgresValue(message.campaignID),
                    PostgresValue(message.eventID), .text(attachments), .integer(now), PostgresValue(idempotency?.key),
                    idempotency.map { .bytes($0.requestHash) } ?? .null,
                ]
            ) { try $0.int(0) }.first
            guard let inserted else {
                guard let idem = idempotency, let replay = try replayed(db, idem) else {
                    throw StoreError.idempotencyConflict(key: idempotency?.key ?? "")
                }
                return replay
            }
            messageID = inserted
        }
        var ids: [Int64] = []
        ids.reserveCapacity(deliveries.count)
        for d in deliveries {
            var state = DeliveryState.queued
            var note: String? = nil
            // Transactional mail ignores only the unsubscribe kind of suppression.
            if let reason = try suppression(db, d.address), message.kind == .list || reason != .unsubscribed {
                state = .suppressed
                note = "suppressed: \(reason.rawValue)"
            }
            let id = try db.rows(
                """
                INSERT INTO deliveries(message_id, contact_id, channel, address, name, locale, timezone, state,
                    next_attempt_at, last_error, created_at, updated_at)
                VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
                ON CONFLICT(message_id, channel, address) DO NOTHING RETURNING id
                """,
                [
                    .integer(messageID), PostgresValue(d.contactID), .text(d.channel), .text(d.address),
                    PostgresValue(d.name), PostgresValue(d.locale), PostgresValue(d.timeZone), .text(state.rawValue),
                    .integer(d.notBefore ?? now), PostgresValue(note), .integer(now),
                ]
            ) { try $0.int(0) }.first
            if let id { ids.append(id) }
        }
        return EnqueueResult(messageID: messageID, deliveryIDs: ids, replayed: false, inserted: ids.count)
    }

    /// The earlier answer for a key already used with the same body; a conflict with another body.
    static func replayed(_ db: PostgresConnection, _ idem: IdempotencyKey) throws -> EnqueueResult? {
        guard
            let (hash, mid) = try db.rows(
                "SELECT request_hash, id FROM messages WHERE idempotency_key = $1", [.text(idem.key)],
                { (try $0.bytes(0), try $0.int(1)) }
            ).first
        else { return nil }
        guard hash == idem.requestHash else { throw StoreError.idempotencyConflict(key: idem.key) }
        let ids = try db.rows("SELECT id FROM deliveries WHERE message_id = $1 ORDER BY id", [.integer(mid)]) {
            try $0.int(0)
        }
        return EnqueueResult(messageID: mid, deliveryIDs: ids, replayed: true, inserted: 0)
    }

    /// Leases due deliveries in one transaction, in the shape every PostgreSQL job queue uses: one
    /// `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED LIMIT n) RETURNING …`, so nodes
    /// claiming at once take disjoint rows without waiting for each other. As SQLite's, expired
    /// leases first, then due deliveries in order: each arm walks its partial index in order and
    /// locks only the rows the outer LIMIT pulls (a sort of every due row would cost O(queue) per
    /// claim). Then consent is checked again for what was taken; a refused delivery is cancelled
    /// (its attempt not counted) and not returned.
    public func claim(channels: [String]?, limit: Int, owner: String, leaseMillis: Int64, now: Int64) throws
        -> [ClaimedDelivery]
    {
        try write { db in
            try Self.promoteScheduledCampaigns(db, now: now, grace: lateCampaignGraceMillis)
            let leased = try db.rows(
                """
                UPDATE deliveries d SET state = 'sending', lease_owner = $3, lease_expires_at = $4,
                    attempts = attempts + 1, updated_at = $1
                WHERE d.id IN (
                    SELECT id FROM (
                        SELECT id FROM deliveries
                        WHERE state = 'sending' AND lease_expires_at <= $1
                          AND ($5::text[] IS NULL OR channel = ANY($5::text[]))
                        ORDER BY lease_expires_at LIMIT $2 FOR UPDATE SKIP LOCKED) expired
                    UNION ALL
                    SELECT id FROM (
                        SELECT id FROM deliveries
                        WHERE state IN ('queued', 'failed') AND next_attempt_at <= $1
                          AND ($5::text[] IS NULL OR channel = ANY($5::text[]))
                        ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED) due
                    LIMIT $2)
                RETURNING \(Self.deliveryColumns)
                """,
                [
                    .integer(now), .integer(Int64(limit)), .text(owner), .integer(now + leaseMillis),
                    channels.map { .texts($0) } ?? .null,
                ], Self.readDelivery)
            if leased.isEmpty { return [] }
            let refused = try Self.cancelRefused(db, ids: leased.map(\.id), now: now)
            let kept = leased.sorted(by: { $0.id < $1.id }).filter { !refused.contains($0.id) }
            // The batch's contacts in one statement: a statement a delivery would cost a round trip
            // each (bench/postgres: a fifth of the raw SQL's rate with a lookup per delivery).
            let contacts = try Self.contacts(db, ids: Array(Set(kept.compactMap(\.contactID))))
            var messages: [Int64: Message] = [:]
            var out: [ClaimedDelivery] = []
            for d in kept {
                if messages[d.messageID] == nil { messages[d.messageID] = try Self.message(db, id: d.messageID) }
                guard let m = messages[d.messageID] else { continue }
                out.append(ClaimedDelivery(delivery: d, message: m, contact: d.contactID.flatMap { contacts[$0] }))
            }
            return out
        }
    }

    static func message(_ db: PostgresConnection, id: Int64) throws -> Message? {
        try db.rows(
            """
            SELECT m.id, m.template, m.data, m.kind, m.list_name, m.campaign_id, m.event_id, m.attachments,
                   l.id, l.title, l.title_translations, l.data
            FROM messages m LEFT JOIN lists l ON l.name = m.list_name WHERE m.id = $1
            """,
            [.integer(id)]
        ) { r in
            var m = Message(
                id: try r.int(0), template: r.text(1), data: (try? JSON.parse(r.text(2))) ?? .object([:]),
                kind: MessageKind(rawValue: r.text(3)) ?? .transactional, listName: r.optionalText(4),
                campaignID: try r.optionalInt(5), eventID: try r.optionalInt(6),
                attachments: ((try? JSON.parse(r.text(7)))?.arrayValue ?? []).compactMap(\.stringValue))
            if try r.optionalInt(8) != nil { m.listDetails = readListDetails(r, from: 9) }
            return m
        }.first
    }

    /// `title, title_translations, data` of a list, from column `first` on.
    static func readListDetails(_ r: PostgresRow, from first: Int) -> ListDetails {
        let translations = LocalizedTitle("", translationsJSON: try? JSON.parse(r.text(first + 1))).translations
        let data = (try? JSON.parse(r.text(first + 2))).flatMap { $0.objectValue != nil ? $0 : nil }
        return ListDetails(title: r.optionalText(first), titleTranslations: translations, data: data ?? .object([:]))
    }

    /// The send-time check of SQLite's `consentRefusals`, as one UPDATE over the batch just leased:
    /// the contact still exists, the address is not suppressed (transactional mail ignores only
    /// `unsubscribed`), list mail goes to subscribed members only, a campaign's mail only while it
    /// is neither paused nor cancelled. Returns the ids it cancelled.
    static func cancelRefused(_ db: PostgresConnection, ids: [Int64], now: Int64) throws -> Set<Int64> {
        let rows = try db.rows(
            """
            WITH checked AS (
                SELECT d.id,
                    CASE
                        WHEN d.contact_id IS NOT NULL AND c.id IS NULL THEN 'erased'
                        WHEN s.reason IS NOT NULL AND (msg.kind = 'list' OR s.reason <> 'unsubscribed') THEN 'suppressed'
                        WHEN msg.kind = 'list' AND msg.list_name IS NOT NULL AND d.contact_id IS NOT NULL
                             AND COALESCE(mem.state, '') <> 'subscribed'
                            THEN CASE WHEN mem.state = 'unsubscribed' THEN 'unsubscribed' ELSE 'not-subscribed' END
                        WHEN camp.state = 'cancelled' THEN 'campaign-cancelled'
                        WHEN camp.state = 'paused' THEN 'paused'
                        WHEN d.address LIKE 'erased:%' THEN 'erased'
                    END AS refusal,
                    s.reason
                FROM deliveries d
                JOIN messages msg ON msg.id = d.message_id
                LEFT JOIN contacts c ON c.id = d.contact_id
                LEFT JOIN suppressions s
                    ON s.address = CASE WHEN strpos(d.address, '@') > 0 THEN lower(d.address) ELSE d.address END
                LEFT JOIN lists l ON l.name = msg.list_name
                LEFT JOIN memberships mem ON mem.list_id = l.id AND mem.contact_id = d.contact_id
                LEFT JOIN campaigns camp ON camp.id = msg.campaign_id
                WHERE d.id = ANY($1::bigint[])
            )
            UPDATE deliveries d SET state = 'cancelled', cancel_reason = k.refusal,
                last_error = CASE WHEN k.refusal = 'suppressed' THEN 'suppressed: ' || k.reason
                                  WHEN k.refusal = 'paused' THEN 'paused' ELSE d.last_error END,
                attempts = d.attempts - 1, lease_owner = NULL, lease_expires_at = NULL, updated_at = $2
            FROM checked k WHERE k.id = d.id AND k.refusal IS NOT NULL
            RETURNING d.id
            """, [.bigints(ids), .integer(now)]
        ) { try $0.int(0) }
        return Set(rows)
    }

    /// As SQLite's: a scheduled campaign whose time has come starts (one never fanned out fans out
    /// now; one that reaches nobody then is a draft again); one far past its time is paused for the
    /// officer. `SKIP LOCKED`: a campaign another node is starting is left to it.
    static func promoteScheduledCampaigns(_ db: PostgresConnection, now: Int64, grace: Int64) throws {
        // Every claim asks, and almost always nothing is due: a probe that costs little to plan first
        // (planning the statement below, with its "finished" subqueries, took 1.4 ms a claim).
        let anyDue = try db.query(
            "SELECT 1 FROM campaigns WHERE state = 'scheduled' AND send_at <= $1 LIMIT 1", [.integer(now)])
        if anyDue.rows.isEmpty { return }
        let due = try db.rows(
            """
            SELECT \(campaignColumns) FROM campaigns WHERE state = 'scheduled' AND send_at <= $1
            FOR UPDATE SKIP LOCKED
            """, [.integer(now)], readCampaign)
        for c in due {
            switch ScheduledStart(c, now: now, grace: grace) {
            case .hold:
                try db.query(
                    """
                    UPDATE deliveries SET state = 'cancelled', cancel_reason = 'paused', last_error = 'paused'
                    WHERE message_id = $1 AND state IN ('queued', 'failed')
                    """, [.integer(c.messageID!)])
                try db.query("UPDATE campaigns SET state = 'paused', missed = true WHERE id = $1", [.integer(c.id!)])
            case .fanOut:
                try db.execute("SAVEPOINT scheduled")
                do {
                    _ = try start(db, c, now: now)
                    try db.execute("RELEASE SAVEPOINT scheduled")
                } catch CampaignError.reachesNobody {
                    try db.execute("ROLLBACK TO SAVEPOINT scheduled")
                    try db.execute("RELEASE SAVEPOINT scheduled")
                    try db.query("UPDATE campaigns SET state = 'draft' WHERE id = $1", [.integer(c.id!)])
                }
            case .run:
                try db.query("UPDATE campaigns SET state = 'running' WHERE id = $1", [.integer(c.id!)])
            }
        }
    }

    public func complete(_ results: [DeliveryResult], owner: String, now: Int64) throws {
        try write { db in
            // Most of a batch is sent: one statement for all of them, the rest one by one.
            var sent: [(id: Int64, providerID: String?)] = []
            for r in results { if case .sent(let pid) = r.outcome { sent.append((r.id, pid)) } }
            if !sent.isEmpty {
                try db.query(
                    """
                    UPDATE deliveries d SET state = 'sent', sent_at = $1, provider_id = u.pid, last_error = NULL,
                        lease_owner = NULL, lease_expires_at = NULL, updated_at = $1
                    FROM unnest($2::bigint[], $3::text[]) AS u(id, pid)
                    WHERE d.id = u.id AND d.lease_owner = $4 AND d.state = 'sending'
                    """,
                    [.integer(now), .bigints(sent.map(\.id)), .optionalTexts(sent.map(\.providerID)), .text(owner)])
            }
            let mine = "id = $3 AND lease_owner = $4 AND state = 'sending'"
            for r in results {
                let key: [PostgresValue] = [.integer(r.id), .text(owner)]
                switch r.outcome {
                case .sent:
                    continue
                case .transient(let msg, _) where r.retryAt != nil:
                    try db.query(
                        """
                        UPDATE deliveries SET state = 'failed', next_attempt_at = $5, last_error = $2,
                            lease_owner = NULL, lease_expires_at = NULL, updated_at = $1 WHERE \(mine)
                        """, [.integer(now), .text(msg)] + key + [.integer(r.retryAt!)])
                case .unreachable(let msg, _) where r.retryAt != nil:
                    // Not the message's fault: the attempt is given back, and it waits for the endpoint.
                    try db.query(
                        """
                        UPDATE deliveries SET state = CASE WHEN attempts > 1 THEN 'failed' ELSE 'queued' END,
                            attempts = attempts - 1, next_attempt_at = $5, last_error = $2, lease_owner = NULL,
                            lease_expires_at = NULL, updated_at = $1 WHERE \(mine)
                        """, [.integer(now), .text(msg)] + key + [.integer(r.retryAt!)])
                case .transient(let msg, _), .unreachable(let msg, _):
                    try Self.markDead(db, msg, key: key, now: now)
                case .permanent(let msg, let suppress):
                    guard try Self.markDead(db, msg, key: key, now: now), suppress else { break }
                    if BounceRules.isEmail(r.address) {
                        // A refused mailbox is a bounce like a DSN's (`BounceRules`), in this transaction.
                        _ = try BounceRules.apply(
                            SessionRefusal.result(reply: msg, address: r.address, delivery: r.id),
                            origin: SessionRefusal.source, source: SessionRefusal.source,
                            ledger: PostgresBounceLedger(db: db), policy: bouncePolicy, now: now)
                    } else {
                        try Self.suppress(db, address: r.address, reason: .bounce, detail: msg)
                    }
                }
            }
        }
    }

    /// Marks a leased delivery dead; false when the lease was no longer `key`'s owner's.
    @discardableResult
    static func markDead(_ db: PostgresConnection, _ msg: String, key: [PostgresValue], now: Int64) throws -> Bool {
        try db.query(
            """
            UPDATE deliveries SET state = 'dead', last_error = $2, lease_owner = NULL, lease_expires_at = NULL,
                updated_at = $1 WHERE id = $3 AND lease_owner = $4 AND state = 'sending'
            """, [.integer(now), .text(msg)] + key
        ).affected > 0
    }

    public func release(ids: [Int64], owner: String) throws {
        _ = try write { db in
            try db.query(
                """
                UPDATE deliveries SET state = CASE WHEN attempts > 1 THEN 'failed' ELSE 'queued' END,
                    attempts = attempts - 1, lease_owner = NULL, lease_expires_at = NULL
                WHERE id = ANY($1::bigint[]) AND lease_owner = $2 AND state = 'sending'
                """, [.bigints(ids), .text(owner)])
        }
    }

    public func queueCounts(messageID: Int64?) throws -> [DeliveryState: Int] {
        let rows = try with { db in
            try db.query(
                """
                SELECT state, COUNT(*) FROM deliveries WHERE ($1::bigint IS NULL OR message_id = $1::bigint)
                GROUP BY state
                """, [PostgresValue(messageID)]
            ).rows
        }
        var out: [DeliveryState: Int] = [:]
        for r in rows { if let s = DeliveryState(rawValue: r.text(0)) { out[s] = Int(try r.int(1)) } }
        return out
    }

    public func pendingByDue(now: Int64) throws -> PendingByDue {
        try with { db in
            try db.rows(
                """
                SELECT COUNT(*) FILTER (WHERE next_attempt_at <= $1), COUNT(*) FILTER (WHERE next_attempt_at > $1),
                       MIN(next_attempt_at) FILTER (WHERE next_attempt_at > $1)
                FROM deliveries WHERE state IN ('queued', 'failed')
                """, [.integer(now)]
            ) { PendingByDue(dueNow: Int(try $0.int(0)), later: Int(try $0.int(1)), nextLater: try $0.optionalInt(2)) }
            .first ?? PendingByDue()
        }
    }

    public func cancelReasons(messageID: Int64?) throws -> [CancelReason: Int] {
        let rows = try with { db in
            try db.query(
                """
                SELECT COALESCE(cancel_reason, 'manual'), COUNT(*) FROM deliveries
                WHERE state = 'cancelled' AND ($1::bigint IS NULL OR message_id = $1::bigint) GROUP BY 1
                """, [PostgresValue(messageID)]
            ).rows
        }
        var out: [CancelReason: Int] = [:]
        for r in rows { out[CancelReason(rawValue: r.text(0)) ?? .manual, default: 0] += Int(try r.int(1)) }
        return out
    }

    public func message(id: Int64) throws -> Message? {
        try with { db in try Self.message(db, id: id) }
    }

    public func deliveries(state: DeliveryState?, messageID: Int64?, limit: Int) throws -> [Delivery] {
        try with { db in
            try db.rows(
                """
                SELECT \(Self.deliveryColumns) FROM deliveries d
                WHERE ($1::text IS NULL OR d.state = $1::text) AND ($2::bigint IS NULL OR d.message_id = $2::bigint)
                ORDER BY d.id LIMIT $3
                """, [PostgresValue(state?.rawValue), PostgresValue(messageID), .integer(Int64(limit))],
                Self.readDelivery)
        }
    }

    public func delivery(id: Int64) throws -> Delivery? {
        try with { db in
            try db.rows(
                "SELECT \(Self.deliveryColumns) FROM deliveries d WHERE d.id = $1", [.integer(id)], Self.readDelivery
            ).first
        }
    }

    public func retry(ids: [Int64]?, now: Int64) throws -> Int {
        try write { db in
            try db.query(
                """
                UPDATE deliveries SET state = 'queued', attempts = 0, next_attempt_at = $1, lease_owner = NULL,
                    lease_expires_at = NULL, updated_at = $1
                WHERE state IN ('dead', 'failed') AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[]))
                """, [.integer(now), ids.map { .bigints($0) } ?? .null]
            ).affected
        }
    }

    public func cancel(ids: [Int64]) throws -> Int {
        try write { db in
            try db.query(
                """
                UPDATE deliveries SET state = 'cancelled', cancel_reason = 'manual', updated_at = $1
                WHERE id = ANY($2::bigint[]) AND state IN ('queued', 'failed')
                """, [.integer(WallClock.nowMillis()), .bigints(ids)]
            ).affected
        }
    }
}
