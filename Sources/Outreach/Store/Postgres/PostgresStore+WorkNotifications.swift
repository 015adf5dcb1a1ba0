/// `WorkNotifications` (through `Store`): a session of its own that LISTENs on `outreach_work`,
/// where the `deliveries` triggers of `PostgresSchema.workNotify` name the channels with new work.
extension PostgresStore {
    /// Connects apart from the store's connection (its lock is never taken), with TCP keepalives so
    /// a server that vanished without closing the connection is noticed within about 30 s.
    public func subscribeToWork() throws -> (any WorkSubscription)? {
        let c = try PostgresConnection(
            url, password: password,
            settings: [
                ("connect_timeout", "10"), ("keepalives", "1"), ("keepalives_idle", "15"),
                ("keepalives_interval", "5"), ("keepalives_count", "3"),
            ])
        try c.execute("LISTEN \(PostgresSchema.workChannel)")
        return PostgresWorkSubscription(connection: c)
    }
}

/// One LISTEN session; the channel names are the notifications' payloads.
final class PostgresWorkSubscription: WorkSubscription {
    private let connection: PostgresConnection

    init(connection: PostgresConnection) { self.connection = connection }

    func next(timeoutMillis: Int) throws -> Set<String> {
        Set(try connection.notifications(timeoutMillis: timeoutMillis))
    }
}
