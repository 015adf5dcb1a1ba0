extension SQLiteSchema {
    /// Recurring campaigns (`CampaignRecurrence.json` in `recurrence`) and their runs: one row per
    /// occurrence, unique, inserted in the transaction that queues the run's deliveries (its own
    /// message, `message_id`), so each occurrence runs once across restarts and processes.
    static let campaignRuns = """
        ALTER TABLE campaigns ADD COLUMN recurrence TEXT;
        CREATE TABLE campaign_runs(
            id INTEGER PRIMARY KEY,
            campaign_id INTEGER NOT NULL REFERENCES campaigns(id),
            occurrence INTEGER NOT NULL,
            at INTEGER NOT NULL,
            state TEXT NOT NULL,
            message_id INTEGER REFERENCES messages(id),
            is_last INTEGER NOT NULL DEFAULT 0,
            created_at INTEGER NOT NULL,
            UNIQUE(campaign_id, occurrence)
        );
        """
}
