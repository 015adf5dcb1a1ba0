-- bench/postgres: N contacts subscribed to one list and a list message (psql -v n=N, once).
INSERT INTO contacts(email, name, locale, attributes, created_at, updated_at)
    SELECT 'user' || g || '@example.org', 'User ' || g, 'en', '{}', 0, 0 FROM generate_series(1, :n) g;
INSERT INTO lists(name, created_at) VALUES ('bench', 0);
INSERT INTO memberships(list_id, contact_id, state, consent_source, updated_at)
    SELECT l.id, c.id, 'subscribed', 'import', 0 FROM lists l, contacts c WHERE l.name = 'bench';
INSERT INTO messages(template, data, kind, list_name, created_at) VALUES ('newsletter', '{}', 'list', 'bench', 0);
