extension PostgresStore: HookOutbox {
    public func subscribeHooks(to types: Set<HookEventType>) throws {
        let wanted = types.map(\.rawValue).sorted()
        let current = try with { db in
            try db.rows("SELECT type FROM hook_subscriptions ORDER BY type") { $0.text(0) }
        }
        guard current != wanted else { return }
        // The record and the triggers change together, under a lock of the record: two nodes
        // starting with other `[hooks]` leave one set, never a mix.
        try write { db in
            try db.execute("LOCK TABLE hook_subscriptions IN EXCLUSIVE MODE")
            try db.execute("DELETE FROM hook_subscriptions")
            for t in wanted { try db.query("INSERT INTO hook_subscriptions(type) VALUES($1)", [.text(t)]) }
            try db.execute(PostgresSchema.hookTriggers(for: types))
        }
    }

    public func fanOutHookEvents(to hooks: [Hook], limit: Int, now: Int64) throws -> HookFanOutResult {
        let pending = try with { db in try !db.query("SELECT 1 FROM hook_events LIMIT 1").rows.isEmpty }
        guard pending else { return HookFanOutResult() }
        return try write { db in
            // The oldest events no other node is moving now; deleted by id after, never `id <= last`:
            // a sequence's ids may commit out of order, and a later-committed lower id must wait here.
            let rows = try db.rows(
                """
                SELECT id, type, payload, created_at FROM hook_events ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED
                """, [.integer(Int64(max(1, limit)))]
            ) { (id: try $0.int(0), type: $0.text(1), payload: $0.text(2), at: try $0.int(3)) }
            guard !rows.isEmpty else { return HookFanOutResult() }
            var result = HookFanOutResult()
            for r in rows {
                // One no hook can want is dropped with the rest.
                guard let event = HookEvent(outboxID: r.id, type: r.type, payload: r.payload, at: r.at),
                    case let targets = hooks.filter({ $0.wants(event.type) }), !targets.isEmpty
                else { continue }
                let messageID = try db.rows(
                    """
                    INSERT INTO messages(template, data, kind, created_at) VALUES($1, $2, 'transactional', $3)
                    RETURNING id
                    """, [.text(event.messageTemplate), .text(event.messageData.serialized), .integer(now)]
                ) { try $0.int(0) }[0]
                for hook in targets {
                    try db.query(
                        """
                        INSERT INTO deliveries(message_id, channel, address, state, next_attempt_at, created_at,
                            updated_at)
                        VALUES($1, $2, $3, 'queued', $4, $4, $4)
                        """, [.integer(messageID), .text(hook.channel), .text(event.type.rawValue), .integer(now)])
                    result.deliveries[hook.channel, default: 0] += 1
                }
            }
            try db.query("DELETE FROM hook_events WHERE id = ANY($1::bigint[])", [.bigints(rows.map(\.id))])
            result.events = rows.count
            return result
        }
    }

    public func pendingHookEvents() throws -> Int {
        try with { db in Int(try db.rows("SELECT COUNT(*) FROM hook_events") { try $0.int(0) }.first ?? 0) }
    }

    /// Part of a contact's erase, as SQLite's: events about them waiting in the outbox are
    /// deleted; those already queued for a hook lose their data (`{}`) and, while not yet posted,
    /// are cancelled (`erased`). Found by the contact's id and addresses inside the payloads.
    static func forgetHookEvents(_ db: PostgresConnection, contactID: Int64, addresses: [String], now: Int64) throws {
        let who: [PostgresValue] = [.text(String(contactID)), .texts(addresses)]
        /// The JSON object `document` names them.
        func mentions(_ document: String) -> String {
            """
            ((\(document)) ->> 'contact_id' = $1 OR (\(document)) ->> 'address' = ANY($2::text[])
             OR (\(document)) ->> 'email' = ANY($2::text[]) OR (\(document)) ->> 'phone' = ANY($2::text[]))
            """
        }
        try db.query("DELETE FROM hook_events WHERE \(mentions("payload::jsonb"))", who)
        let messages = try db.rows(
            "SELECT id FROM messages WHERE template LIKE 'hook:%' AND kind = 'transactional' AND "
                + mentions("data::jsonb -> 'data'"), who
        ) { try $0.int(0) }
        guard !messages.isEmpty else { return }
        try db.query(
            """
            UPDATE deliveries SET state = 'cancelled', cancel_reason = 'erased', updated_at = $2
            WHERE message_id = ANY($1::bigint[]) AND state IN ('queued', 'failed')
            """, [.bigints(messages), .integer(now)])
        try db.query("UPDATE messages SET data = '{}' WHERE id = ANY($1::bigint[])", [.bigints(messages)])
    }
}
