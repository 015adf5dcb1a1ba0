extension SQLiteStore {
    static let deliveryColumns = """
        d.id, d.message_id, d.contact_id, d.channel, d.address, d.name, d.locale, d.timezone, d.state, d.attempts,
        d.next_attempt_at, d.last_error, d.provider_id, d.created_at, d.updated_at, d.sent_at, d.cancel_reason
        """

    static func readDelivery(_ s: SQLiteStatement) -> Delivery {
        Delivery(
            id: s.int(0), messageID: s.int(1), contactID: s.optionalInt(2), channel: s.text(3), address: s.text(4),
            name: s.optionalText(5), locale: s.optionalText(6), timeZone: s.optionalText(7),
            state: DeliveryState(rawValue: s.text(8)) ?? .queued, attempts: Int(s.int(9)),
            nextAttemptAt: s.optionalInt(10), lastError: s.optionalText(11), providerID: s.optionalText(12),
            createdAt: s.int(13), updatedAt: s.int(14), sentAt: s.optionalInt(15),
            cancelReason: s.optionalText(16).flatMap(CancelReason.init))
    }

    public func enqueue(_ message: Message, deliveries: [NewDelivery], idempotency: IdempotencyKey?) throws
        -> EnqueueResult
    {
        try write { db in try Self.enqueue(db, message, deliveries: deliveries, idempotency: idempotency) }
    }

    static func enqueue(
        _ db: SQLiteDatabase, _ message: Message, deliveries: [NewDelivery], idempotency: IdempotencyKey?,
        suppressions: SuppressionKinds = .withErased, dataText: String? = nil
    ) throws -> EnqueueResult {
        let now = WallClock.nowMillis()
        let messageID: Int64
        if let id = message.id {
            messageID = id
            if let idem = idempotency {
                if let replay = try replayed(db, idem) { return replay }
                try db.prepare("UPDATE messages SET idempotency_key = ?, request_hash = ? WHERE id = ?")
                    .run([.text(idem.key), .blob(idem.requestHash), .integer(id)])
            }
        } else {
            let attachments =
                message.attachments.isEmpty ? "[]" : JSON.array(message.attachments.map { .string($0) }).serialized
            // The key is claimed by the insert itself (one index search); a key already there
            // inserts nothing, and the earlier message answers.
            try db.prepare(
                literal: """
                    INSERT INTO messages(template, data, kind, list_name, campaign_id, event_id, attachments, created_at, idempotency_key, request_hash)
                    VALUES(?,?,?,?,?,?,?,?,?,?) ON CONFLICT(idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING
                    """
            )
            .run([
                .text(message.template), .text(dataText ?? message.data.serialized), .text(message.kind.rawValue),
                SQLiteValue(message.listName),
                SQLiteValue(message.campaignID), SQLiteValue(message.eventID), .text(attachments), .integer(now),
                SQLiteValue(idempotency?.key), idempotency.map { .blob($0.requestHash) } ?? .null,
            ])
            if db.changes == 0, let idem = idempotency {
                // Only the key's index can refuse the row, so the earlier message is there.
                guard let replay = try replayed(db, idem) else { throw StoreError.idempotencyConflict(key: idem.key) }
                return replay
            }
            messageID = db.lastInsertRowID
        }
        let insert = try db.prepare(
            literal: """
                INSERT INTO deliveries(message_id, contact_id, channel, address, name, locale, timezone, state, next_attempt_at, last_error, created_at, updated_at)
                VALUES(?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(message_id, channel, address) DO NOTHING
                """)
        var ids: [Int64] = []
        ids.reserveCapacity(deliveries.count)
        var inserted = 0
        for d in deliveries {
            var state = DeliveryState.queued
            var note: String? = nil
            // Transactional mail ignores only the unsubscribe kind of suppression.
            if let reason = try suppression(db, d.address, kinds: suppressions),
                message.kind == .list || reason != .unsubscribed
            {
                state = .suppressed
                note = "suppressed: \(reason.rawValue)"
            }
            try insert.bind(1, messageID)
            try insert.bind(2, d.contactID)
            try insert.bind(3, d.channel)
            try insert.bind(4, d.address)
            try insert.bind(5, d.name)
            try insert.bind(6, d.locale)
            try insert.bind(7, d.timeZone)
            try insert.bind(8, state.rawValue)
            try insert.bind(9, d.notBefore ?? now)
            try insert.bind(10, note)
            try insert.bind(11, now)
            try insert.bind(12, now)
            try insert.runBound()
            if db.changes > 0 {
                inserted += 1
                ids.append(db.lastInsertRowID)
            }
        }
        return EnqueueResult(messageID: messageID, deliveryIDs: ids, replayed: false, inserted: inserted)
    }

    /// The earlier answer for a key already used with the same body; a conflict with another body.
    static func replayed(_ db: SQLiteDatabase, _ idem: IdempotencyKey) throws -> EnqueueResult? {
        let stored = try db.prepare(literal: "SELECT request_hash, id FROM messages WHERE idempotency_key = ?")
            .rows([.text(idem.key)], { ($0.bytes(0), $0.int(1)) }).first
        guard let (hash, mid) = stored else { return nil }
        // Keys stored before schema 4 carry the hash as hex text.
        guard hash == idem.requestHash || hash == Array(Crypto.hex(idem.requestHash).utf8) else {
            throw StoreError.idempotencyConflict(key: idem.key)
        }
        let ids = try db.prepare("SELECT id FROM deliveries WHERE message_id = ? ORDER BY id").rows([.integer(mid)]) {
            $0.int(0)
        }
        return EnqueueResult(messageID: mid, deliveryIDs: ids, replayed: true, inserted: 0)
    }

    public func claim(channels: [String]?, limit: Int, owner: String, leaseMillis: Int64, now: Int64) throws
        -> [ClaimedDelivery]
    {
        try write { db in
            // Before anything is taken: a scheduled campaign whose time has come starts, one far
            // past its time waits for the officer (never sent late silently).
            try Self.promoteScheduledCampaigns(db, now: now, grace: lateCampaignGraceMillis)
            let channelFilter =
                channels.map { cs in
                    " AND channel IN ("
                        + cs.map { "'" + $0.replacingOccurrences(of: "'", with: "''") + "'" }.joined(separator: ",")
                        + ")"
                } ?? ""
            // Expired leases first: their deliveries have waited longest. INDEXED BY: without it the
            // planner walks every queued delivery by state, so a claim costs O(queue) (daemon benchmark).
            let pick = try db.prepare(
                """
                SELECT id, created_at FROM deliveries INDEXED BY deliveries_leased WHERE state = 'sending' AND lease_expires_at <= ?1\(channelFilter)
                UNION ALL
                SELECT id, created_at FROM (SELECT id, created_at FROM deliveries INDEXED BY deliveries_due WHERE state IN ('queued','failed') AND next_attempt_at <= ?1\(channelFilter) ORDER BY next_attempt_at)
                LIMIT ?2
                """)
            let picked = try pick.rows([.integer(now), .integer(Int64(limit))]) { (id: $0.int(0), created: $0.int(1)) }
            if picked.isEmpty { return [] }
            var ids = picked.map(\.id)
            // Consent is checked again at the moment of sending: whoever left a list, was
            // suppressed or erased since the delivery was queued is never handed to a channel.
            // A delivery is consistent when made (fan-out and enqueue read the consent of that
            // moment), so only a batch holding one older than the last change needs the check:
            // one lookup of `consent_clock`, which triggers move on every change away from a yes.
            let lastChange =
                try db.prepare(literal: "SELECT changed_at FROM consent_clock WHERE id = 1").rows { $0.int(0) }.first
                ?? .max
            let refusals = lastChange < picked.map(\.created).min()! ? [] : try Self.consentRefusals(db, ids: ids)
            if !refusals.isEmpty {
                let cancel = try db.prepare(
                    """
                    UPDATE deliveries SET state='cancelled', cancel_reason=?, last_error=COALESCE(?, last_error),
                        lease_owner=NULL, lease_expires_at=NULL, updated_at=? WHERE id=?
                    """)
                for r in refusals {
                    try cancel.run([.text(r.reason.rawValue), SQLiteValue(r.detail), .integer(now), .integer(r.id)])
                }
                let refused = Set(refusals.map(\.id))
                ids.removeAll { refused.contains($0) }
                if ids.isEmpty { return [] }
            }
            // One statement each for the batch's leases, deliveries and contacts (not one a delivery).
            let idList = SQLiteValue.idList(ids)
            try db.prepare(
                """
                UPDATE deliveries SET state='sending', lease_owner=?1, lease_expires_at=?2, attempts=attempts+1, updated_at=?3
                WHERE id IN (SELECT value FROM json_each(?4))
                """
            ).run([.text(owner), .integer(now + leaseMillis), .integer(now), idList])
            var deliveries: [Int64: Delivery] = [:]
            deliveries.reserveCapacity(ids.count)
            for d in try db.prepare(
                "SELECT \(Self.deliveryColumns) FROM deliveries d WHERE d.id IN (SELECT value FROM json_each(?1))"
            ).rows([idList], Self.readDelivery) {
                deliveries[d.id] = d
            }
            let contactIDs = Set(deliveries.values.compactMap(\.contactID))
            var contacts: [Int64: Contact] = [:]
            if !contactIDs.isEmpty {
                for c in try db.prepare(
                    "SELECT \(Self.contactColumns) FROM contacts WHERE id IN (SELECT value FROM json_each(?1))"
                ).rows([.idList(contactIDs)], { Self.readContact($0) }) {
                    if let id = c.id { contacts[id] = c }
                }
            }
            let getMessage = try db.prepare(Self.messageQuery)
            var messages: [Int64: Message] = [:]
            var out: [ClaimedDelivery] = []
            out.reserveCapacity(ids.count)
            for id in ids {
                guard let d = deliveries[id] else { continue }
                if messages[d.messageID] == nil {
                    messages[d.messageID] = try getMessage.rows([.integer(d.messageID)], Self.readMessage).first
                }
                guard let m = messages[d.messageID] else { continue }
                out.append(ClaimedDelivery(delivery: d, message: m, contact: d.contactID.flatMap { contacts[$0] }))
            }
            return out
        }
    }

    /// A message with its list's title and data as they are now (`Message.listDetails`).
    static let messageQuery = """
        SELECT m.id, m.template, m.data, m.kind, m.list_name, m.campaign_id, m.event_id, m.attachments,
               l.id, l.title, l.title_translations, l.data
        FROM messages m LEFT JOIN lists l ON l.name = m.list_name WHERE m.id = ?
        """

    static func readMessage(_ s: SQLiteStatement) -> Message {
        var m = Message(
            id: s.int(0), template: s.text(1), data: (try? JSON.parse(s.text(2))) ?? .object([:]),
            kind: MessageKind(rawValue: s.text(3)) ?? .transactional, listName: s.optionalText(4),
            campaignID: s.optionalInt(5), eventID: s.optionalInt(6),
            attachments: ((try? JSON.parse(s.text(7)))?.arrayValue ?? []).compactMap(\.stringValue))
        if !s.isNull(8) { m.listDetails = readListDetails(s, from: 9) }
        return m
    }

    /// `title, title_translations, data` of a list, from column `first` on.
    static func readListDetails(_ s: SQLiteStatement, from first: Int32) -> ListDetails {
        let title = s.optionalText(first)
        let translations = LocalizedTitle("", translationsJSON: try? JSON.parse(s.text(first + 1))).translations
        let data = (try? JSON.parse(s.text(first + 2))).flatMap { $0.objectValue != nil ? $0 : nil }
        return ListDetails(title: title, titleTranslations: translations, data: data ?? .object([:]))
    }

    public func message(id: Int64) throws -> Message? {
        try reading { db in try db.prepare(Self.messageQuery).rows([.integer(id)], Self.readMessage).first }
    }

    public func complete(_ results: [DeliveryResult], owner: String, now: Int64) throws {
        try write { db in
            let sent = try db.prepare(
                "UPDATE deliveries SET state='sent', sent_at=?1, provider_id=?2, last_error=NULL, lease_owner=NULL, lease_expires_at=NULL, updated_at=?1 WHERE id=?3 AND lease_owner=?4 AND state='sending'"
            )
            let retry = try db.prepare(
                "UPDATE deliveries SET state='failed', next_attempt_at=?1, last_error=?2, lease_owner=NULL, lease_expires_at=NULL, updated_at=?3 WHERE id=?4 AND lease_owner=?5 AND state='sending'"
            )
            let waitForEndpoint = try db.prepare(
                """
                UPDATE deliveries SET state = CASE WHEN attempts > 1 THEN 'failed' ELSE 'queued' END, attempts = attempts - 1,
                    next_attempt_at=?1, last_error=?2, lease_owner=NULL, lease_expires_at=NULL, updated_at=?3
                WHERE id=?4 AND lease_owner=?5 AND state='sending'
                """)
            let dead = try db.prepare(
                "UPDATE deliveries SET state='dead', last_error=?1, lease_owner=NULL, lease_expires_at=NULL, updated_at=?2 WHERE id=?3 AND lease_owner=?4 AND state='sending'"
            )
            for r in results {
                switch r.outcome {
                case .sent(let pid):
                    try sent.run([.integer(now), SQLiteValue(pid), .integer(r.id), .text(owner)])
                case .transient(let msg, _):
                    if let at = r.retryAt {
                        try retry.run([.integer(at), .text(msg), .integer(now), .integer(r.id), .text(owner)])
                    } else {
                        try dead.run([.text(msg), .integer(now), .integer(r.id), .text(owner)])
                    }
                case .unreachable(let msg, _):
                    // Not the message's fault: the attempt is given back, and it waits for the endpoint.
                    if let at = r.retryAt {
                        try waitForEndpoint.run([.integer(at), .text(msg), .integer(now), .integer(r.id), .text(owner)])
                    } else {
                        try dead.run([.text(msg), .integer(now), .integer(r.id), .text(owner)])
                    }
                case .permanent(let msg, let suppress):
                    try dead.run([.text(msg), .integer(now), .integer(r.id), .text(owner)])
                    guard suppress, db.changes > 0 else { break }
                    if BounceRules.isEmail(r.address) {
                        // A refused mailbox is a bounce like a DSN's: scored, or suppressed at once
                        // for a definite bad mailbox (`BounceRules`), in this transaction.
                        _ = try BounceRules.apply(
                            SessionRefusal.result(reply: msg, address: r.address, delivery: r.id),
                            origin: SessionRefusal.source, source: SessionRefusal.source,
                            ledger: SQLiteBounceLedger(db: db), policy: bouncePolicy, now: now)
                    } else {
                        try Self.suppress(db, address: r.address, reason: .bounce, detail: msg)
                    }
                }
            }
        }
    }

    public func release(ids: [Int64], owner: String) throws {
        try write { db in
            let q = try db.prepare(
                "UPDATE deliveries SET state = CASE WHEN attempts > 1 THEN 'failed' ELSE 'queued' END, attempts = attempts - 1, lease_owner=NULL, lease_expires_at=NULL WHERE id=? AND lease_owner=? AND state='sending'"
            )
            for id in ids { try q.run([.integer(id), .text(owner)]) }
        }
    }

    public func queueCounts(messageID: Int64?) throws -> [DeliveryState: Int] {
        let rows: [(String, Int)]
        if let m = messageID {
            rows = try with { db in
                try db.prepare("SELECT state, COUNT(*) FROM deliveries WHERE message_id = ? GROUP BY state").rows([
                    .integer(m)
                ]) { ($0.text(0), Int($0.int(1))) }
            }
        } else {
            // Every delivery is counted: on the reading connection, so the committer goes on meanwhile.
            rows = try reading { db in
                try db.prepare("SELECT state, COUNT(*) FROM deliveries GROUP BY state").rows {
                    ($0.text(0), Int($0.int(1)))
                }
            }
        }
        var out: [DeliveryState: Int] = [:]
        for (s, n) in rows { if let st = DeliveryState(rawValue: s) { out[st] = n } }
        return out
    }

    public func setChannelOutage(_ channel: String, _ outage: ChannelAvailability.Outage?) throws {
        try write { db in
            guard let o = outage else {
                try db.prepare("DELETE FROM channel_status WHERE channel = ?").run([.text(channel)])
                return
            }
            try db.prepare(
                """
                INSERT INTO channel_status(channel, down_since, last_error, next_probe_at, updated_at) VALUES(?,?,?,?,?)
                ON CONFLICT(channel) DO UPDATE SET down_since = MIN(down_since, excluded.down_since),
                    last_error = excluded.last_error, next_probe_at = excluded.next_probe_at, updated_at = excluded.updated_at
                """
            ).run([
                .text(channel), .integer(o.since), .text(o.lastError), .integer(o.nextProbeAt),
                .integer(WallClock.nowMillis()),
            ])
        }
    }

    public func channelOutages() throws -> [String: ChannelAvailability.Outage] {
        let rows = try with { db in
            try db.prepare("SELECT channel, down_since, last_error, next_probe_at FROM channel_status").rows {
                (
                    $0.text(0),
                    ChannelAvailability.Outage(
                        since: $0.int(1), lastError: $0.text(2), failures: 0, nextProbeAt: $0.int(3))
                )
            }
        }
        return Dictionary(rows) { a, _ in a }
    }

    /// Walks the partial index of pending deliveries on the reading connection.
    public func pendingByDue(now: Int64) throws -> PendingByDue {
        try reading { db in
            try db.prepare(
                """
                SELECT COALESCE(SUM(next_attempt_at <= ?1), 0), COALESCE(SUM(next_attempt_at > ?1), 0),
                       MIN(CASE WHEN next_attempt_at > ?1 THEN next_attempt_at END)
                FROM deliveries INDEXED BY deliveries_due WHERE state IN ('queued', 'failed')
                """
            ).rows([.integer(now)]) {
                PendingByDue(dueNow: Int($0.int(0)), later: Int($0.int(1)), nextLater: $0.optionalInt(2))
            }.first ?? PendingByDue()
        }
    }

    public func cancelReasons(messageID: Int64?) throws -> [CancelReason: Int] {
        let rows = try reading { db in
            try db.prepare(
                """
                SELECT COALESCE(cancel_reason, 'manual'), COUNT(*) FROM deliveries
                WHERE state = 'cancelled' AND (?1 IS NULL OR message_id = ?1) GROUP BY 1
                """
            ).rows([SQLiteValue(messageID)]) { ($0.text(0), Int($0.int(1))) }
        }
        var out: [CancelReason: Int] = [:]
        for (r, n) in rows { out[CancelReason(rawValue: r) ?? .manual, default: 0] += n }
        return out
    }

    public func deliveries(state: DeliveryState?, messageID: Int64?, limit: Int) throws -> [Delivery] {
        let query = Self.deliveriesQuery(ofOneMessage: messageID != nil)
        let values = [SQLiteValue(state?.rawValue), SQLiteValue(messageID), .integer(Int64(limit))]
        // One message's (a replayed trigger's answer, GET /v1/messages/{id}) on the reading
        // connection: committed data, without waiting for the group committer or holding it up.
        if messageID != nil { return try reading { db in try db.prepare(query).rows(values, Self.readDelivery) } }
        return try with { db in try db.prepare(query).rows(values, Self.readDelivery) }
    }

    /// The query of `deliveries(state:messageID:limit:)`; ?1 state or NULL, ?2 message id or NULL, ?3 limit.
    /// One message's: `d.message_id = ?2` stands alone so the planner can search the (message_id,
    /// channel, address) index; written `?2 IS NULL OR …`, as for the whole queue, it walks the
    /// table, and every replayed trigger answer did so under the writer's lock.
    static func deliveriesQuery(ofOneMessage: Bool) -> String {
        ofOneMessage
            ? """
            SELECT \(Self.deliveryColumns) FROM deliveries d WHERE d.message_id = ?2 AND (?1 IS NULL OR d.state = ?1)
            ORDER BY d.id LIMIT ?3
            """
            : """
            SELECT \(Self.deliveryColumns) FROM deliveries d WHERE (?1 IS NULL OR d.state = ?1) AND (?2 IS NULL OR d.message_id = ?2)
            ORDER BY d.id LIMIT ?3
            """
    }

    public func delivery(id: Int64) throws -> Delivery? {
        try with { db in
            try db.prepare("SELECT \(Self.deliveryColumns) FROM deliveries d WHERE d.id = ?").rows(
                [.integer(id)], Self.readDelivery
            ).first
        }
    }

    public func retry(ids: [Int64]?, now: Int64) throws -> Int {
        try write { db in
            let sql =
                "UPDATE deliveries SET state='queued', attempts=0, next_attempt_at=?1, lease_owner=NULL, lease_expires_at=NULL, updated_at=?1 WHERE state IN ('dead','failed')"
            guard let ids else {
                try db.prepare(sql).run([.integer(now)])
                return db.changes
            }
            var n = 0
            let q = try db.prepare(sql + " AND id = ?2")
            for id in ids { try q.run([.integer(now), .integer(id)]); n += db.changes }
            return n
        }
    }

    public func cancel(ids: [Int64]) throws -> Int {
        try write { db in
            var n = 0
            let q = try db.prepare(
                "UPDATE deliveries SET state='cancelled', cancel_reason='manual', updated_at=? WHERE id=? AND state IN ('queued','failed')"
            )
            for id in ids { try q.run([.integer(WallClock.nowMillis()), .integer(id)]); n += db.changes }
            return n
        }
    }
}

extension SQLiteStore {
    /// Group commit: many independent enqueues in one transaction (one fsync). A request refused
    /// for its idempotency key writes nothing, so it fails alone; any other error inside the batch
    /// rolls the transaction back and the batch is redone with one savepoint per request, so one
    /// request's failure still leaves the others intact. Savepoints cost more than the enqueues
    /// themselves, hence only on that rare path.
    public func enqueueBatch(_ requests: [EnqueueRequest]) throws -> [Result<EnqueueResult, any Error>] {
        try enqueueBatch(requests, syncing: true)
    }

    /// How many group-commit batches took the savepoint path since the store was opened (`/metrics`).
    public var slowPathBatches: Int { slowPathCount.load(ordering: .relaxed) }

    public func enqueueBatchUnsynced(_ requests: [EnqueueRequest]) throws -> [Result<EnqueueResult, any Error>] {
        try enqueueBatch(requests, syncing: false)
    }

    func enqueueBatch(_ requests: [EnqueueRequest], syncing: Bool) throws -> [Result<EnqueueResult, any Error>] {
        do {
            return try write(checkingReferences: true, syncing: syncing) { db in
                let suppressions = try SuppressionKinds.read(db)
                return try requests.map { r -> Result<EnqueueResult, any Error> in
                    do {
                        return .success(
                            try Self.enqueue(
                                db, r.message, deliveries: r.deliveries, idempotency: r.idempotency,
                                suppressions: suppressions,
                                dataText: r.dataText))
                    } catch let e as StoreError {
                        guard case .idempotencyConflict = e else { throw e }
                        return .failure(e)
                    }
                }
            }
        } catch {
            slowPathCount.add(1, ordering: .relaxed)
            return try write(checkingReferences: true, syncing: syncing) { db in
                try requests.map { r in
                    try db.execute("SAVEPOINT one")
                    do {
                        let result = try Self.enqueue(
                            db, r.message, deliveries: r.deliveries, idempotency: r.idempotency, dataText: r.dataText)
                        try db.execute("RELEASE one")
                        return .success(result)
                    } catch {
                        try db.execute("ROLLBACK TO one")
                        try db.execute("RELEASE one")
                        return .failure(error)
                    }
                }
            }
        }
    }
}
