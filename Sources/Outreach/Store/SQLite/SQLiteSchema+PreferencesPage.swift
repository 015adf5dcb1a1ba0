extension SQLiteSchema {
    /// The preferences page (`Preferences`): which lists anyone may join from their own page
    /// (`lists create|update --public`), and a log of the language and channel people chose there,
    /// as `consent_log` is of their lists.
    static let preferencesPage = """
        ALTER TABLE lists ADD COLUMN is_public INTEGER NOT NULL DEFAULT 0;
        CREATE TABLE preference_log(
            id INTEGER PRIMARY KEY,
            contact_id INTEGER NOT NULL,
            field TEXT NOT NULL,
            value TEXT,
            from_value TEXT,
            source TEXT NOT NULL,
            evidence TEXT,
            at INTEGER NOT NULL
        );
        CREATE INDEX preference_log_contact ON preference_log(contact_id);
        """
}
