/// One SQLite file is one host's: its node leads every duty.
extension SQLiteStore {
    public func leads(_ duty: Duty) -> Bool { true }

    public func resignDuties() {}
}

/// `WorkNotifications`: one process writes a SQLite file, and the API, the committer and the
/// services wake its loops themselves; a CLI command's work is found by polling.
extension SQLiteStore {
    public func subscribeToWork() throws -> (any WorkSubscription)? { nil }
}
