extension SQLiteStore {
    public func subscribeHooks(to types: Set<HookEventType>) throws {
        let wanted = types.map(\.rawValue).sorted()
        let current = try with { db in
            try db.prepare("SELECT type FROM hook_subscriptions ORDER BY type").rows { $0.text(0) }
        }
        guard current != wanted else { return }
        // The record and the triggers that act on it change together: other processes see both or neither.
        try write { db in
            try db.execute("DELETE FROM hook_subscriptions")
            let insert = try db.prepare("INSERT INTO hook_subscriptions(type) VALUES(?)")
            for t in wanted { try insert.run([.text(t)]) }
            try db.execute(SQLiteSchema.hookTriggers(for: types))
        }
    }

    public func fanOutHookEvents(to hooks: [Hook], limit: Int, now: Int64) throws -> HookFanOutResult {
        // Almost every call finds nothing: asked on the reading connection, without the writer's lock.
        let pending = try reading { db in
            try db.prepare(literal: "SELECT 1 FROM hook_events LIMIT 1").rows { _ in 1 }.first != nil
        }
        guard pending else { return HookFanOutResult() }
        return try write { db in
            let rows = try db.prepare(
                literal: "SELECT id, type, payload, created_at FROM hook_events ORDER BY id LIMIT ?"
            ).rows([.integer(Int64(max(1, limit)))]) {
                (id: $0.int(0), type: $0.text(1), payload: $0.text(2), at: $0.int(3))
            }
            guard let last = rows.last?.id else { return HookFanOutResult() }
            let message = try db.prepare(
                literal: "INSERT INTO messages(template, data, kind, created_at) VALUES(?, ?, 'transactional', ?)")
            let delivery = try db.prepare(
                literal: """
                    INSERT INTO deliveries(message_id, channel, address, state, next_attempt_at, created_at, updated_at)
                    VALUES(?1, ?2, ?3, 'queued', ?4, ?4, ?4)
                    """)
            var result = HookFanOutResult()
            for r in rows {
                // One no hook can want is dropped with the rest.
                guard let event = HookEvent(outboxID: r.id, type: r.type, payload: r.payload, at: r.at) else {
                    continue
                }
                let type = event.type
                let targets = hooks.filter { $0.wants(type) }
                if targets.isEmpty { continue }
                try message.run([.text(event.messageTemplate), .text(event.messageData.serialized), .integer(now)])
                let messageID = db.lastInsertRowID
                for hook in targets {
                    try delivery.run([.integer(messageID), .text(hook.channel), .text(type.rawValue), .integer(now)])
                    result.deliveries[hook.channel, default: 0] += 1
                }
            }
            // The rows read are the oldest, and new ids only grow (AUTOINCREMENT): the lock is held.
            try db.prepare(literal: "DELETE FROM hook_events WHERE id <= ?").run([.integer(last)])
            result.events = rows.count
            return result
        }
    }

    public func pendingHookEvents() throws -> Int {
        try with { db in
            Int(try db.prepare(literal: "SELECT COUNT(*) FROM hook_events").rows { $0.int(0) }.first ?? 0)
        }
    }

    /// Part of a contact's erase: events about them waiting in the outbox are deleted, and those
    /// already queued for a hook lose their data (`{}`) and, while not yet posted, are cancelled
    /// (`erased`). Found by the contact's id and addresses inside the payloads: hook messages are
    /// scanned, as the erase scans the deliveries.
    static func forgetHookEvents(_ db: SQLiteDatabase, contactID: Int64, addresses: [String], now: Int64) throws {
        let who: [SQLiteValue] = [.integer(contactID), .text(JSON.array(addresses.map { .string($0) }).serialized)]
        /// The payload at `path` inside `column` names them.
        func mentions(_ column: String, at path: String = "$") -> String {
            let field = { (name: String) in "json_extract(\(column), '\(path).\(name)')" }
            return """
                (\(field("contact_id")) = ?1
                 OR \(field("address")) IN (SELECT value FROM json_each(?2))
                 OR \(field("email")) IN (SELECT value FROM json_each(?2))
                 OR \(field("phone")) IN (SELECT value FROM json_each(?2)))
                """
        }
        try db.prepare("DELETE FROM hook_events WHERE \(mentions("payload"))").run(who)
        let messages = try db.prepare(
            "SELECT id FROM messages WHERE template LIKE 'hook:%' AND kind = 'transactional' AND "
                + mentions("data", at: "$.data")
        ).rows(who) { $0.int(0) }
        guard !messages.isEmpty else { return }
        let ids = JSON.array(messages.map { JSON(Int($0)) }).serialized
        try db.prepare(
            """
            UPDATE deliveries SET state = 'cancelled', cancel_reason = 'erased', updated_at = ?2
            WHERE message_id IN (SELECT value FROM json_each(?1)) AND state IN ('queued', 'failed')
            """
        ).run([.text(ids), .integer(now)])
        try db.prepare("UPDATE messages SET data = '{}' WHERE id IN (SELECT value FROM json_each(?1))").run([.text(ids)]
        )
    }
}
