extension SQLiteSchema {
    /// The outbox of `[hooks.NAME]` events (docs/hooks.md) and the types some hook subscribes to.
    /// The triggers that fill it are made by `subscribeHooks` (`hookTriggers`), for the types
    /// subscribed only. AUTOINCREMENT: the fan-out empties the table, and an id is a `webhook-id`
    /// receivers deduplicate by, so an id is never handed out twice.
    static let hooks = """
        CREATE TABLE hook_subscriptions(type TEXT PRIMARY KEY) WITHOUT ROWID;
        CREATE TABLE hook_events(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            type TEXT NOT NULL,
            payload TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        """

    /// The triggers that record the events of `types`, replacing those there were. A trigger
    /// records in the transaction of the change itself, whatever path made it (the worker, a
    /// receipt, a bounce, an unsubscribe, an import, SQL typed into the sqlite3 shell), and only
    /// when the state really changed: a commit has its event, a rollback none, a repeat none. A
    /// hook's own deliveries (channel `hook:NAME`) raise none. The payload is the change as it was.
    ///
    /// Made per subscription rather than once with a lookup of the subscribed types in their
    /// condition: that lookup, run for every changed row, doubled the cost of recording a batch's
    /// outcomes; without hooks there is no trigger at all, and with them the condition is a list.
    static func hookTriggers(for types: Set<HookEventType>) -> String {
        func list(_ states: [String]) -> String { states.sorted().map { "'\($0)'" }.joined(separator: ", ") }
        var sql = """
            DROP TRIGGER IF EXISTS hook_delivery_event;
            DROP TRIGGER IF EXISTS hook_membership_added;
            DROP TRIGGER IF EXISTS hook_membership_changed;
            DROP TRIGGER IF EXISTS hook_suppression_added;

            """
        let deliveryStates = types.compactMap(\.deliveryState)
        if !deliveryStates.isEmpty {
            sql += """
                CREATE TRIGGER hook_delivery_event AFTER UPDATE OF state ON deliveries
                    WHEN new.state IN (\(list(deliveryStates))) AND new.state IS NOT old.state
                      AND substr(new.channel, 1, 5) <> 'hook:'
                    BEGIN
                    INSERT INTO hook_events(type, payload, created_at)
                        SELECT 'delivery.' || CASE new.state WHEN 'dead' THEN 'failed' ELSE new.state END,
                            json_object('delivery_id', new.id, 'message_id', new.message_id, 'channel', new.channel,
                                'address', new.address, 'contact_id', new.contact_id, 'state', new.state,
                                'attempts', new.attempts, 'diagnostic', new.last_error, 'provider_id', new.provider_id,
                                'template', m.template, 'kind', m.kind, 'list', m.list_name,
                                'campaign', (SELECT name FROM campaigns WHERE id = m.campaign_id),
                                'event', (SELECT name FROM events WHERE id = m.event_id)),
                            new.updated_at
                        FROM messages m WHERE m.id = new.message_id;
                    END;

                """
        }
        let membershipStates = types.compactMap(\.membershipState).map(\.rawValue)
        if !membershipStates.isEmpty {
            for (name, event, previous, changed) in [
                ("hook_membership_added", "INSERT", "NULL", ""),
                ("hook_membership_changed", "UPDATE OF state", "old.state", " AND new.state IS NOT old.state"),
            ] {
                sql += """
                    CREATE TRIGGER \(name) AFTER \(event) ON memberships
                        WHEN new.state IN (\(list(membershipStates)))\(changed)
                        BEGIN
                        INSERT INTO hook_events(type, payload, created_at)
                            SELECT 'contact.' || new.state,
                                json_object('contact_id', c.id, 'email', c.email, 'phone', c.phone, 'list', l.name,
                                    'state', new.state, 'previous_state', \(previous), 'source', new.consent_source),
                                new.updated_at
                            FROM contacts c, lists l WHERE c.id = new.contact_id AND l.id = new.list_id;
                        END;

                    """
            }
        }
        // Leaving everything is no membership change: a one-click unsubscribe from all lists and an
        // SMS STOP are suppressions of the address. They are told as an unsubscribe without a list.
        if types.contains(.contactUnsubscribed) {
            sql += """
                CREATE TRIGGER hook_suppression_added AFTER INSERT ON suppressions
                    WHEN new.reason IN ('unsubscribed', 'stop')
                    BEGIN
                    INSERT INTO hook_events(type, payload, created_at)
                        SELECT 'contact.unsubscribed',
                            json_object('contact_id', c.id,
                                'email', CASE WHEN c.id IS NULL AND instr(new.address, '@') > 0
                                    THEN new.address ELSE c.email END,
                                'phone', CASE WHEN c.id IS NULL AND instr(new.address, '@') = 0
                                    THEN new.address ELSE c.phone END,
                                'list', NULL, 'state', 'unsubscribed', 'previous_state', NULL,
                                'source', 'suppression:' || new.reason),
                            new.created_at
                        FROM (SELECT 1) LEFT JOIN contacts c ON c.email = new.address OR c.phone = new.address;
                    END;

                """
        }
        return sql
    }
}
