extension SQLiteSchema {
    /// The outbox of `[hooks.NAME]` events (docs/hooks.md). Triggers record an event in the
    /// transaction of the change itself, whatever path made it (the worker, a receipt, a bounce, an
    /// unsubscribe, an import, SQL typed into the sqlite3 shell), and only when the state really
    /// changed: a commit has its event, a rollback none, a repeat none. Only the types in
    /// `hook_subscriptions` (written by `serve` from its hooks) are recorded, so nothing piles up
    /// without a hook, and a hook's own deliveries (channel `hook:NAME`) raise none. The payload is
    /// the change as it was then (`HookOutbox`). AUTOINCREMENT: the fan-out empties the table, and
    /// an id is a `webhook-id` receivers deduplicate by, so an id is never handed out twice.
    static let hooks = """
        CREATE TABLE hook_subscriptions(type TEXT PRIMARY KEY) WITHOUT ROWID;
        CREATE TABLE hook_events(
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            type TEXT NOT NULL,
            payload TEXT NOT NULL,
            created_at INTEGER NOT NULL
        );
        CREATE TRIGGER hook_delivery_event AFTER UPDATE OF state ON deliveries
            WHEN new.state IN ('sent', 'delivered', 'bounced', 'complained', 'dead') AND new.state IS NOT old.state
              AND substr(new.channel, 1, 5) <> 'hook:'
              AND EXISTS (SELECT 1 FROM hook_subscriptions
                          WHERE type = 'delivery.' || CASE new.state WHEN 'dead' THEN 'failed' ELSE new.state END)
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
        CREATE TRIGGER hook_membership_added AFTER INSERT ON memberships
            WHEN new.state IN ('subscribed', 'unsubscribed')
              AND EXISTS (SELECT 1 FROM hook_subscriptions WHERE type = 'contact.' || new.state)
            BEGIN
            INSERT INTO hook_events(type, payload, created_at)
                SELECT 'contact.' || new.state,
                    json_object('contact_id', c.id, 'email', c.email, 'phone', c.phone, 'list', l.name,
                        'state', new.state, 'previous_state', NULL, 'source', new.consent_source),
                    new.updated_at
                FROM contacts c, lists l WHERE c.id = new.contact_id AND l.id = new.list_id;
            END;
        CREATE TRIGGER hook_membership_changed AFTER UPDATE OF state ON memberships
            WHEN new.state IN ('subscribed', 'unsubscribed') AND new.state IS NOT old.state
              AND EXISTS (SELECT 1 FROM hook_subscriptions WHERE type = 'contact.' || new.state)
            BEGIN
            INSERT INTO hook_events(type, payload, created_at)
                SELECT 'contact.' || new.state,
                    json_object('contact_id', c.id, 'email', c.email, 'phone', c.phone, 'list', l.name,
                        'state', new.state, 'previous_state', old.state, 'source', new.consent_source),
                    new.updated_at
                FROM contacts c, lists l WHERE c.id = new.contact_id AND l.id = new.list_id;
            END;
        """
}
