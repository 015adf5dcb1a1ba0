extension PostgresSchema {
    /// Each paced channel's next free instant, in microseconds on the database's clock
    /// (`SendPacing`): one row per channel, shared by every node.
    static let pacing = """
        CREATE TABLE send_pacing(
            channel TEXT PRIMARY KEY,
            next_free BIGINT NOT NULL
        );
        """
}
