/// One SQLite file is one host's: there are no other nodes. A process that stopped is found by
/// `expireLeasesOfStoppedProcesses` at the next start (`LeaseOwner`), so nothing is recorded here.
extension SQLiteStore {
    public func heartbeat(node: String, now: Int64) throws {}

    @discardableResult
    public func releaseDeadNodes(olderThan: Int64, now: Int64) throws -> Int { 0 }
}
