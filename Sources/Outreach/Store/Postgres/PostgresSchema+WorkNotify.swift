extension PostgresSchema {
    /// The notification channel the store's triggers send on and `subscribeToWork` listens to.
    static let workChannel = "outreach_work"

    /// Wake-ups (docs/scale-out.md, "Wake-ups"): statement triggers on `deliveries` that send each
    /// channel whose deliveries became claimable, or due earlier, as the payload of a notification
    /// on `outreach_work`. Any writer (a node, a CLI command, a release of a dead node's leases)
    /// notifies, with no code of its own. PostgreSQL sends notifications at commit (never before
    /// the work is durable, none for a rollback) and folds identical ones of one transaction.
    /// Claims (queued → sending with a new lease) and outcomes (sent, dead…) notify nothing.
    static let workNotify = """
        CREATE FUNCTION outreach_work_inserted() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            PERFORM pg_notify('\(workChannel)', c)
            FROM (SELECT DISTINCT channel AS c FROM new_rows WHERE state IN ('queued', 'failed')) s;
            RETURN NULL;
        END $f$;
        CREATE FUNCTION outreach_work_updated() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            PERFORM pg_notify('\(workChannel)', c)
            FROM (
                SELECT DISTINCT n.channel AS c FROM new_rows n JOIN old_rows o ON o.id = n.id
                WHERE (n.state IN ('queued', 'failed')
                        AND (o.state NOT IN ('queued', 'failed') OR n.next_attempt_at < o.next_attempt_at))
                    OR (n.state = 'sending' AND n.lease_expires_at < o.lease_expires_at)
            ) s;
            RETURN NULL;
        END $f$;
        CREATE TRIGGER deliveries_work_inserted AFTER INSERT ON deliveries
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outreach_work_inserted();
        CREATE TRIGGER deliveries_work_updated AFTER UPDATE ON deliveries
            REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
            FOR EACH STATEMENT EXECUTE FUNCTION outreach_work_updated();
        """
}
