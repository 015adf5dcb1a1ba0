extension PostgresSchema {
    /// 5: the outbox of `[hooks.NAME]` events and the types subscribed (SQLite's `hooks`). The
    /// triggers that fill it are made by `subscribeHooks` (`hookTriggers`). A sequence never hands
    /// an id out twice: it is the `webhook-id` receivers deduplicate by.
    static let hooks = """
        CREATE TABLE hook_subscriptions(type TEXT PRIMARY KEY);
        CREATE TABLE hook_events(
            id BIGSERIAL PRIMARY KEY,
            type TEXT NOT NULL,
            payload TEXT NOT NULL,
            created_at BIGINT NOT NULL
        );
        """

    /// SQLite's `hookTriggers` in PL/pgSQL: row triggers that record the events of `types` in the
    /// transaction of the change, only when the state really changed, none for a hook's own
    /// deliveries; those of types no longer subscribed are dropped. The functions are made once
    /// for all; which trigger exists, and its `WHEN`, is the subscription.
    static func hookTriggers(for types: Set<HookEventType>) -> String {
        func list(_ states: [String]) -> String { states.sorted().map { "'\($0)'" }.joined(separator: ", ") }
        var sql = """
            DROP TRIGGER IF EXISTS hook_delivery_event ON deliveries;
            DROP TRIGGER IF EXISTS hook_membership_added ON memberships;
            DROP TRIGGER IF EXISTS hook_membership_changed ON memberships;
            DROP TRIGGER IF EXISTS hook_suppression_added ON suppressions;
            CREATE OR REPLACE FUNCTION hook_delivery_event() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
                INSERT INTO hook_events(type, payload, created_at)
                SELECT 'delivery.' || CASE NEW.state WHEN 'dead' THEN 'failed' ELSE NEW.state END,
                    json_build_object('delivery_id', NEW.id, 'message_id', NEW.message_id, 'channel', NEW.channel,
                        'address', NEW.address, 'contact_id', NEW.contact_id, 'state', NEW.state,
                        'attempts', NEW.attempts, 'diagnostic', NEW.last_error, 'provider_id', NEW.provider_id,
                        'template', m.template, 'kind', m.kind, 'list', m.list_name,
                        'campaign', (SELECT name FROM campaigns WHERE id = m.campaign_id),
                        'event', (SELECT name FROM events WHERE id = m.event_id))::text,
                    NEW.updated_at
                FROM messages m WHERE m.id = NEW.message_id;
                RETURN NULL;
            END $f$;
            CREATE OR REPLACE FUNCTION hook_membership_event() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
                INSERT INTO hook_events(type, payload, created_at)
                SELECT 'contact.' || NEW.state,
                    json_build_object('contact_id', c.id, 'email', c.email, 'phone', c.phone, 'list', l.name,
                        'state', NEW.state,
                        'previous_state', CASE WHEN TG_OP = 'UPDATE' THEN OLD.state END,
                        'source', NEW.consent_source)::text,
                    NEW.updated_at
                FROM contacts c, lists l WHERE c.id = NEW.contact_id AND l.id = NEW.list_id;
                RETURN NULL;
            END $f$;
            CREATE OR REPLACE FUNCTION hook_suppression_event() RETURNS trigger LANGUAGE plpgsql AS $f$
            BEGIN
                INSERT INTO hook_events(type, payload, created_at)
                SELECT 'contact.unsubscribed',
                    json_build_object('contact_id', c.id,
                        'email', CASE WHEN c.id IS NULL AND strpos(NEW.address, '@') > 0
                            THEN NEW.address ELSE c.email END,
                        'phone', CASE WHEN c.id IS NULL AND strpos(NEW.address, '@') = 0
                            THEN NEW.address ELSE c.phone END,
                        'list', NULL, 'state', 'unsubscribed', 'previous_state', NULL,
                        'source', 'suppression:' || NEW.reason)::text,
                    NEW.created_at
                FROM (SELECT 1) AS one LEFT JOIN contacts c ON c.email = NEW.address OR c.phone = NEW.address;
                RETURN NULL;
            END $f$;

            """
        let deliveryStates = types.compactMap(\.deliveryState)
        if !deliveryStates.isEmpty {
            sql += """
                CREATE TRIGGER hook_delivery_event AFTER UPDATE OF state ON deliveries FOR EACH ROW
                    WHEN (NEW.state IN (\(list(deliveryStates))) AND NEW.state IS DISTINCT FROM OLD.state
                          AND substr(NEW.channel, 1, 5) <> 'hook:')
                    EXECUTE FUNCTION hook_delivery_event();

                """
        }
        let membershipStates = list(types.compactMap(\.membershipState).map(\.rawValue))
        if !membershipStates.isEmpty {
            sql += """
                CREATE TRIGGER hook_membership_added AFTER INSERT ON memberships FOR EACH ROW
                    WHEN (NEW.state IN (\(membershipStates)))
                    EXECUTE FUNCTION hook_membership_event();
                CREATE TRIGGER hook_membership_changed AFTER UPDATE OF state ON memberships FOR EACH ROW
                    WHEN (NEW.state IN (\(membershipStates)) AND NEW.state IS DISTINCT FROM OLD.state)
                    EXECUTE FUNCTION hook_membership_event();

                """
        }
        // Leaving everything is a suppression of the address, told as an unsubscribe without a list.
        if types.contains(.contactUnsubscribed) {
            sql += """
                CREATE TRIGGER hook_suppression_added AFTER INSERT ON suppressions FOR EACH ROW
                    WHEN (NEW.reason IN ('unsubscribed', 'stop'))
                    EXECUTE FUNCTION hook_suppression_event();

                """
        }
        return sql
    }
}
