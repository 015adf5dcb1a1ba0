extension SQLiteSchema {
    /// Bounces, complaints and what they did (issue 17): one row per result (`key` makes a repeat
    /// of a delivery and kind, or of an unattributed message, a no-op), each address's score,
    /// the officers' removals of suppressions, and the sent deliveries by address, so a bounce
    /// that names no delivery finds the latest one sent to its recipient without a table scan.
    static let bounces = """
        CREATE TABLE bounces(
            id INTEGER PRIMARY KEY,
            key TEXT NOT NULL UNIQUE,
            at INTEGER NOT NULL,
            address TEXT,
            kind TEXT NOT NULL,
            status TEXT,
            diagnostic TEXT,
            delivery_id INTEGER,
            source TEXT NOT NULL,
            action TEXT NOT NULL,
            score REAL
        );
        CREATE INDEX bounces_at ON bounces(at);
        CREATE INDEX bounces_address ON bounces(address) WHERE address IS NOT NULL;
        CREATE INDEX bounces_delivery ON bounces(delivery_id) WHERE delivery_id IS NOT NULL;
        CREATE TABLE bounce_scores(
            address TEXT PRIMARY KEY,
            score REAL NOT NULL,
            day INTEGER NOT NULL,
            day_weight REAL NOT NULL,
            last_at INTEGER NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE suppression_removals(
            id INTEGER PRIMARY KEY,
            address TEXT NOT NULL,
            reason TEXT NOT NULL,
            detail TEXT,
            note TEXT NOT NULL,
            at_their_request INTEGER NOT NULL,
            at INTEGER NOT NULL
        );
        CREATE INDEX suppression_removals_address ON suppression_removals(address);
        CREATE INDEX deliveries_sent_address ON deliveries(address, sent_at) WHERE sent_at IS NOT NULL;
        """
}
