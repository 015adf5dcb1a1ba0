extension PostgresSchema {
    /// The notification channel the store's triggers send on and `subscribeToWork` listens to.
    static let workChannel = "outreach_work"

    /// Wake-ups (docs/scale-out.md, "Wake-ups"): triggers on `deliveries` that send each channel
    /// whose deliveries became claimable, or due earlier, as the payload of a notification on
    /// `outreach_work`. Any writer (a node, a CLI command, a release of a dead node's leases)
    /// notifies, with no code of its own. PostgreSQL sends notifications at commit (never before
    /// the work is durable, none for a rollback) and folds identical ones of one transaction.
    /// Inserts: one statement trigger (a campaign's fan-out inserts thousands of rows at once).
    /// Updates: a row trigger whose `WHEN` passes only such rows, so claims (a new, later lease)
    /// and outcomes (sent, dead…), the busy path, run no function at all.
    static let workNotify = """
        CREATE FUNCTION outreach_work_inserted() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            PERFORM pg_notify('\(workChannel)', c)
            FROM (SELECT DISTINCT channel AS c FROM new_rows WHERE state IN ('queued', 'failed')) s;
            RETURN NULL;
        END $f$;
        CREATE FUNCTION outreach_work_updated() RETURNS trigger LANGUAGE plpgsql AS $f$
        BEGIN
            PERFORM pg_notify('\(workChannel)', NEW.channel);
            RETURN NULL;
        END $f$;
        CREATE TRIGGER deliveries_work_inserted AFTER INSERT ON deliveries
            REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION outreach_work_inserted();
        CREATE TRIGGER deliveries_work_updated AFTER UPDATE ON deliveries FOR EACH ROW
            WHEN ((NEW.state IN ('queued', 'failed')
                    AND (OLD.state NOT IN ('queued', 'failed') OR NEW.next_attempt_at < OLD.next_attempt_at))
                OR (NEW.state = 'sending' AND NEW.lease_expires_at < OLD.lease_expires_at))
            EXECUTE FUNCTION outreach_work_updated();
        """
}
