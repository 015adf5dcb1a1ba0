/// Versioned migrations, applied in order on open; each runs in its own transaction.
enum SQLiteSchema {
    static let migrations: [String] = [
        // 1: the ground: contacts, lists, consent, suppressions, messages, the delivery queue.
        """
        CREATE TABLE contacts(
            id INTEGER PRIMARY KEY,
            email TEXT UNIQUE,
            phone TEXT UNIQUE,
            name TEXT,
            locale TEXT,
            timezone TEXT,
            attributes TEXT NOT NULL DEFAULT '{}',
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE TABLE lists(
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            double_opt_in INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL
        );
        CREATE TABLE memberships(
            list_id INTEGER NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
            contact_id INTEGER NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            state TEXT NOT NULL,
            consent_source TEXT NOT NULL,
            consent_evidence TEXT,
            updated_at INTEGER NOT NULL,
            PRIMARY KEY(list_id, contact_id)
        ) WITHOUT ROWID;
        CREATE INDEX memberships_contact ON memberships(contact_id);
        CREATE TABLE consent_log(
            id INTEGER PRIMARY KEY,
            list_id INTEGER NOT NULL,
            contact_id INTEGER NOT NULL,
            state TEXT NOT NULL,
            source TEXT NOT NULL,
            evidence TEXT,
            at INTEGER NOT NULL
        );
        CREATE INDEX consent_log_contact ON consent_log(contact_id);
        CREATE TABLE suppressions(
            address TEXT PRIMARY KEY,
            reason TEXT NOT NULL,
            detail TEXT,
            created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE messages(
            id INTEGER PRIMARY KEY,
            template TEXT NOT NULL,
            data TEXT NOT NULL DEFAULT '{}',
            kind TEXT NOT NULL,
            list_name TEXT,
            campaign_id INTEGER,
            event_id INTEGER,
            attachments TEXT NOT NULL DEFAULT '[]',
            created_at INTEGER NOT NULL
        );
        CREATE TABLE deliveries(
            id INTEGER PRIMARY KEY,
            message_id INTEGER NOT NULL REFERENCES messages(id),
            contact_id INTEGER,
            channel TEXT NOT NULL,
            address TEXT NOT NULL,
            name TEXT,
            locale TEXT,
            timezone TEXT,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER NOT NULL,
            lease_owner TEXT,
            lease_expires_at INTEGER,
            last_error TEXT,
            provider_id TEXT,
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL,
            sent_at INTEGER,
            UNIQUE(message_id, channel, address)
        );
        CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE state IN ('queued', 'failed');
        CREATE INDEX deliveries_leased ON deliveries(lease_expires_at) WHERE state = 'sending';
        CREATE INDEX deliveries_state ON deliveries(state, message_id);
        CREATE INDEX deliveries_provider ON deliveries(provider_id) WHERE provider_id IS NOT NULL;
        CREATE TABLE idempotency(
            key TEXT PRIMARY KEY,
            request_hash TEXT NOT NULL,
            message_id INTEGER NOT NULL,
            created_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        """,
        campaigns,
        events,
        idempotencyOnMessages,
        consent,
        channelStatus,
        consentClock,
        segments,
        hooks,
        templateData,
        bounces,
        preferredChannel,
        signUpForm,
        campaignRuns,
        reminderRuns,
        preferencesPage,
    ]
}

extension SQLiteSchema {
    /// 2: campaigns, fanned out into deliveries inside the database.
    static let campaigns = """
        CREATE TABLE campaigns(
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            message_id INTEGER NOT NULL REFERENCES messages(id),
            list_name TEXT NOT NULL,
            channels TEXT NOT NULL,
            filters TEXT NOT NULL DEFAULT '{}',
            send_at INTEGER,
            state TEXT NOT NULL,
            created_at INTEGER NOT NULL,
            started_at INTEGER,
            missed INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX campaigns_scheduled ON campaigns(send_at) WHERE state = 'scheduled';
        """

    /// 8: a campaign's `--where` conditions as a segment (`Segment.json`): per key, the values it
    /// may have (OR) and those it must not. Campaigns stored before held one value per key
    /// (`{"role": "mentor"}`); each becomes that key with that one value.
    static let segments = """
        UPDATE campaigns SET filters = (
            SELECT json_group_array(json_object('key', j.key, 'is', json_array(j.value), 'not', json_array()))
            FROM json_each(campaigns.filters) j)
        WHERE json_type(filters) = 'object';
        """
}
