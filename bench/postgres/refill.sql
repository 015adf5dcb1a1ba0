-- bench/postgres: every delivery removed, then one queued delivery a contact on channel `bench`
-- (due now), as a campaign's fan-out leaves them; VACUUM so each round starts from the same table.
DELETE FROM deliveries;
INSERT INTO deliveries(message_id, contact_id, channel, address, name, locale, state, next_attempt_at,
        created_at, updated_at)
    SELECT m.id, c.id, 'bench', c.email, c.name, c.locale, 'queued', 0, 0, 0
    FROM contacts c, messages m WHERE m.list_name = 'bench' ORDER BY c.id;
VACUUM ANALYZE deliveries;
