/// The PostgreSQL schema: the SQLite schema's tables as they stand after its seventh migration,
/// in PostgreSQL's types (BIGSERIAL ids, BIGINT milliseconds since 1970, TEXT, BOOLEAN, BYTEA),
/// with the same partial indexes. Versioned migrations, applied in order, each in its own
/// transaction under an advisory lock, so nodes starting together migrate once.
///
/// What SQLite needs and PostgreSQL does not is left out: `consent_clock` and its triggers (a
/// shortcut that lets SQLite's claim skip the consent check; here the check is part of the claim's
/// statement) and the `idempotency` table that SQLite's fourth migration folded into `messages`.
enum PostgresSchema {
    /// `pg_advisory_xact_lock` key held while migrating ("outreach" in ASCII).
    static let migrationLock: Int64 = 0x6f75_7472_6561_6368

    static let migrations: [String] = [
        ground, templateData, bounces, SQLiteSchema.preferredChannel, SQLiteSchema.signUpForm, campaignRuns,
        reminderRuns, preferencesPage, hooks, nodes, pacing, workNotify,
    ]

    /// As SQLite's `campaignRuns`: recurring campaigns and their runs, unique per occurrence.
    static let campaignRuns = """
        ALTER TABLE campaigns ADD COLUMN recurrence TEXT;
        CREATE TABLE campaign_runs(
            id BIGSERIAL PRIMARY KEY,
            campaign_id BIGINT NOT NULL REFERENCES campaigns(id),
            occurrence BIGINT NOT NULL,
            at BIGINT NOT NULL,
            state TEXT NOT NULL,
            message_id BIGINT REFERENCES messages(id),
            is_last BOOLEAN NOT NULL DEFAULT false,
            created_at BIGINT NOT NULL,
            UNIQUE(campaign_id, occurrence)
        );
        """

    /// 1: contacts, lists, consent, suppressions, messages, the delivery queue, campaigns, events,
    /// channel outages.
    static let ground = """
        CREATE TABLE contacts(
            id BIGSERIAL PRIMARY KEY,
            email TEXT UNIQUE,
            phone TEXT UNIQUE,
            name TEXT,
            locale TEXT,
            timezone TEXT,
            attributes TEXT NOT NULL DEFAULT '{}',
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        );
        CREATE TABLE lists(
            id BIGSERIAL PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            double_opt_in BOOLEAN NOT NULL DEFAULT false,
            created_at BIGINT NOT NULL
        );
        CREATE TABLE memberships(
            list_id BIGINT NOT NULL REFERENCES lists(id) ON DELETE CASCADE,
            contact_id BIGINT NOT NULL REFERENCES contacts(id) ON DELETE CASCADE,
            state TEXT NOT NULL,
            consent_source TEXT NOT NULL,
            consent_evidence TEXT,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY(list_id, contact_id)
        );
        CREATE INDEX memberships_contact ON memberships(contact_id);
        CREATE TABLE consent_log(
            id BIGSERIAL PRIMARY KEY,
            list_id BIGINT NOT NULL,
            contact_id BIGINT NOT NULL,
            state TEXT NOT NULL,
            source TEXT NOT NULL,
            evidence TEXT,
            at BIGINT NOT NULL,
            from_state TEXT
        );
        CREATE INDEX consent_log_contact ON consent_log(contact_id);
        CREATE TABLE suppressions(
            address TEXT PRIMARY KEY,
            reason TEXT NOT NULL,
            detail TEXT,
            created_at BIGINT NOT NULL
        );
        CREATE TABLE messages(
            id BIGSERIAL PRIMARY KEY,
            template TEXT NOT NULL,
            data TEXT NOT NULL DEFAULT '{}',
            kind TEXT NOT NULL,
            list_name TEXT,
            campaign_id BIGINT,
            event_id BIGINT,
            attachments TEXT NOT NULL DEFAULT '[]',
            created_at BIGINT NOT NULL,
            idempotency_key TEXT,
            request_hash BYTEA
        );
        CREATE UNIQUE INDEX messages_idempotency ON messages(idempotency_key) WHERE idempotency_key IS NOT NULL;
        CREATE INDEX messages_event ON messages(event_id) WHERE event_id IS NOT NULL;
        CREATE TABLE deliveries(
            id BIGSERIAL PRIMARY KEY,
            message_id BIGINT NOT NULL REFERENCES messages(id),
            contact_id BIGINT,
            channel TEXT NOT NULL,
            address TEXT NOT NULL,
            name TEXT,
            locale TEXT,
            timezone TEXT,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at BIGINT NOT NULL,
            lease_owner TEXT,
            lease_expires_at BIGINT,
            last_error TEXT,
            provider_id TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            sent_at BIGINT,
            cancel_reason TEXT,
            UNIQUE(message_id, channel, address)
        );
        CREATE INDEX deliveries_due ON deliveries(next_attempt_at) WHERE state IN ('queued', 'failed');
        CREATE INDEX deliveries_leased ON deliveries(lease_expires_at) WHERE state = 'sending';
        CREATE INDEX deliveries_state ON deliveries(state, message_id);
        CREATE INDEX deliveries_provider ON deliveries(provider_id) WHERE provider_id IS NOT NULL;
        CREATE INDEX deliveries_pending_address ON deliveries(address) WHERE state IN ('queued', 'failed');
        CREATE INDEX deliveries_contact ON deliveries(contact_id) WHERE contact_id IS NOT NULL;
        CREATE TABLE campaigns(
            id BIGSERIAL PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            message_id BIGINT NOT NULL REFERENCES messages(id),
            list_name TEXT NOT NULL,
            channels TEXT NOT NULL,
            filters TEXT NOT NULL DEFAULT '{}',
            send_at BIGINT,
            state TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            started_at BIGINT,
            missed BOOLEAN NOT NULL DEFAULT false
        );
        CREATE INDEX campaigns_scheduled ON campaigns(send_at) WHERE state = 'scheduled';
        CREATE TABLE events(
            id BIGSERIAL PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            list_name TEXT NOT NULL,
            channels TEXT NOT NULL,
            start TEXT NOT NULL,
            time_zone TEXT NOT NULL,
            duration TEXT NOT NULL,
            rrule TEXT,
            exdates TEXT NOT NULL DEFAULT '[]',
            reminders TEXT NOT NULL DEFAULT '[]',
            location TEXT,
            uid TEXT NOT NULL UNIQUE,
            sequence INTEGER NOT NULL DEFAULT 0,
            state TEXT NOT NULL,
            invitation_message_id BIGINT,
            reminder_message_ids TEXT NOT NULL DEFAULT '[]',
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        );
        CREATE TABLE channel_status(
            channel TEXT PRIMARY KEY,
            down_since BIGINT NOT NULL,
            last_error TEXT NOT NULL,
            next_probe_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        );
        """
}

extension PostgresSchema {
    /// 2: as SQLite's `templateData`: lists' titles and data, events' title translations, data and
    /// whether they are held online.
    static let templateData = """
        ALTER TABLE lists ADD COLUMN title TEXT;
        ALTER TABLE lists ADD COLUMN title_translations TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE lists ADD COLUMN data TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE events ADD COLUMN title_translations TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE events ADD COLUMN data TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE events ADD COLUMN online BOOLEAN NOT NULL DEFAULT false;
        """

    /// Applies the pending migrations, each in its own transaction holding the migration lock (a
    /// node that waited for it finds the work done and applies nothing).
    /// - Returns: the schema version after it.
    /// - Throws: `StoreError.schemaTooNew` when the database is ahead of this outreachd.
    @discardableResult
    static func migrate(_ db: PostgresConnection) throws -> Int {
        for target in 1...migrations.count {
            let applied = try db.transaction { () throws -> Bool in
                try db.query("SELECT pg_advisory_xact_lock($1)", [.integer(migrationLock)])
                try db.execute(
                    "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)"
                )
                let current = try version(db)
                if current > migrations.count {
                    throw StoreError.schemaTooNew(found: current, supported: migrations.count)
                }
                guard current < target else { return false }
                try db.execute(migrations[target - 1])
                try db.query(
                    "INSERT INTO schema_version(version, applied_at) VALUES($1, $2)",
                    [.integer(Int64(target)), .integer(WallClock.nowMillis())])
                return true
            }
            _ = applied
        }
        return try version(db)
    }

    /// Refuses a database whose schema is not this outreachd's: behind it (`StoreError.notMigrated`:
    /// `outreachd storage migrate` applies what is missing, once, while no node starts) or ahead.
    static func requireCurrent(_ db: PostgresConnection) throws {
        let current = try version(db)
        if current > migrations.count {
            throw StoreError.schemaTooNew(found: current, supported: migrations.count)
        }
        if current < migrations.count {
            throw StoreError.notMigrated(found: current, required: migrations.count)
        }
    }

    /// The highest migration applied; 0 on an empty database.
    static func version(_ db: PostgresConnection) throws -> Int {
        let exists = try db.rows("SELECT to_regclass('schema_version') IS NOT NULL") { try $0.bool(0) }.first ?? false
        guard exists else { return 0 }
        return Int(try db.rows("SELECT COALESCE(MAX(version), 0) FROM schema_version") { try $0.int(0) }.first ?? 0)
    }
}

extension PostgresSchema {
    /// 3: bounces, complaints and what they did (SQLite's `bounces` migration, docs/bounces-pipeline.md).
    static let bounces = """
        CREATE TABLE bounces(
            id BIGSERIAL PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            at BIGINT NOT NULL,
            address TEXT,
            kind TEXT NOT NULL,
            status TEXT,
            diagnostic TEXT,
            delivery_id BIGINT,
            source TEXT NOT NULL,
            action TEXT NOT NULL,
            score DOUBLE PRECISION
        );
        CREATE INDEX bounces_at ON bounces(at);
        CREATE INDEX bounces_address ON bounces(address) WHERE address IS NOT NULL;
        CREATE INDEX bounces_delivery ON bounces(delivery_id) WHERE delivery_id IS NOT NULL;
        CREATE TABLE bounce_scores(
            address TEXT PRIMARY KEY,
            score DOUBLE PRECISION NOT NULL,
            day BIGINT NOT NULL,
            day_weight DOUBLE PRECISION NOT NULL,
            last_at BIGINT NOT NULL
        );
        CREATE TABLE suppression_removals(
            id BIGSERIAL PRIMARY KEY,
            address TEXT NOT NULL,
            reason TEXT NOT NULL,
            detail TEXT,
            note TEXT NOT NULL,
            at_their_request BOOLEAN NOT NULL,
            at BIGINT NOT NULL
        );
        CREATE INDEX suppression_removals_address ON suppression_removals(address);
        CREATE INDEX deliveries_sent_address ON deliveries(address, sent_at) WHERE sent_at IS NOT NULL;
        """
}

extension PostgresSchema {
    /// 6: as SQLite's `reminderRuns`: one row per reminder that ran, its key making it run once.
    static let reminderRuns = """
        CREATE TABLE reminder_runs(
            event_id BIGINT NOT NULL REFERENCES events(id),
            occurrence_start BIGINT NOT NULL,
            reminder_offset TEXT NOT NULL,
            occurrence INTEGER NOT NULL,
            at BIGINT NOT NULL,
            state TEXT NOT NULL,
            message_id BIGINT,
            ran_at BIGINT NOT NULL,
            PRIMARY KEY(event_id, occurrence_start, reminder_offset)
        );
        """
}

extension PostgresSchema {
    /// `SQLiteSchema.preferencesPage` in PostgreSQL's types.
    static let preferencesPage = """
        ALTER TABLE lists ADD COLUMN is_public BOOLEAN NOT NULL DEFAULT FALSE;
        CREATE TABLE preference_log(
            id BIGSERIAL PRIMARY KEY,
            contact_id BIGINT NOT NULL,
            field TEXT NOT NULL,
            value TEXT,
            from_value TEXT,
            source TEXT NOT NULL,
            evidence TEXT,
            at BIGINT NOT NULL
        );
        CREATE INDEX preference_log_contact ON preference_log(contact_id);
        """
}
