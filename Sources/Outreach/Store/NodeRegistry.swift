/// The `serve` nodes sharing one database (docs/scale-out.md, "Nodes"): each records that it is
/// alive, and any of them hands the work of a node that went silent back to the queue. The rule
/// (how often, how long a silence) is `NodeLiveness`'s; a store only keeps the rows.
public protocol NodeRegistry: AnyObject, Sendable {
    /// Records that `node` (its lease owner, `DeliveryWorker.owner`) is alive at `now`, registering
    /// it on its first call.
    func heartbeat(node: String, now: Int64) throws
    /// Removes every node whose last heartbeat is before `olderThan` and, in the same transaction,
    /// ends the leases it still holds: its deliveries are due at `now` for any node to claim, the
    /// attempt counted (it may have sent). A late completion by the silent node is then refused
    /// wherever another has claimed the delivery since (`complete` only where the lease is ours).
    /// - Returns: how many deliveries' leases were ended.
    @discardableResult
    func releaseDeadNodes(olderThan: Int64, now: Int64) throws -> Int
}
