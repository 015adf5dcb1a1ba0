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
