extension SQLiteSchema {
    /// Who gets what (`ChannelPreference`): a contact's channel when an event has one for their
    /// email and one for their phone, and an event's default for those without one. The same
    /// statements serve PostgreSQL (`PostgresSchema.migrations`).
    static let preferredChannel = """
        ALTER TABLE contacts ADD COLUMN preferred_channel TEXT;
        ALTER TABLE events ADD COLUMN prefer TEXT NOT NULL DEFAULT 'email';
        """
}
