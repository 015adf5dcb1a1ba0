extension PostgresSchema {
    /// The `serve` nodes sharing the database and when each last said it was alive (`NodeRegistry`).
    /// SQLite has no such table: one file is one host.
    static let nodes = """
        CREATE TABLE nodes(
            id TEXT PRIMARY KEY,
            started_at BIGINT NOT NULL,
            heartbeat_at BIGINT NOT NULL
        );
        CREATE INDEX deliveries_lease_owner ON deliveries(lease_owner) WHERE state = 'sending';
        """
}
