extension SQLiteSchema {
    /// Events: the schedule as its canonical texts (never computed instants, so a tz database
    /// update moves future occurrences), the stable UID and the SEQUENCE raised on every change.
    static let events = """
        CREATE TABLE events(
            id INTEGER PRIMARY KEY,
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
            invitation_message_id INTEGER,
            reminder_message_ids TEXT NOT NULL DEFAULT '[]',
            created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL
        );
        CREATE INDEX messages_event ON messages(event_id) WHERE event_id IS NOT NULL;
        """
}

extension SQLiteSchema {
    /// What recipients see of lists and events (issue 18.2, 18.6, 18.8): a list's title (NULL: its
    /// name) and its translations, an event's title translations, the template data of each (JSON
    /// objects), and whether an event is held online (its times told by each reader's clock).
    static let templateData = """
        ALTER TABLE lists ADD COLUMN title TEXT;
        ALTER TABLE lists ADD COLUMN title_translations TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE lists ADD COLUMN data TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE events ADD COLUMN title_translations TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE events ADD COLUMN data TEXT NOT NULL DEFAULT '{}';
        ALTER TABLE events ADD COLUMN online INTEGER NOT NULL DEFAULT 0;
        """
}

extension SQLiteSchema {
    /// Reminders fan out when they fall due (issue 18.11): one row per (event, occurrence start in
    /// ms, signed offset) that ran, written in the transaction that queues its deliveries, so the
    /// primary key makes each run happen once across restarts and concurrent callers. `state`:
    /// `queued` (its message is `message_id`), `skipped` (too late), `legacy` (queued ahead by an
    /// earlier version; `message_id` is that message). `occurrence` is the index the message carries.
    static let reminderRuns = """
        CREATE TABLE reminder_runs(
            event_id INTEGER NOT NULL REFERENCES events(id),
            occurrence_start INTEGER NOT NULL,
            reminder_offset TEXT NOT NULL,
            occurrence INTEGER NOT NULL,
            at INTEGER NOT NULL,
            state TEXT NOT NULL,
            message_id INTEGER,
            ran_at INTEGER NOT NULL,
            PRIMARY KEY(event_id, occurrence_start, reminder_offset)
        ) WITHOUT ROWID;
        """
}
