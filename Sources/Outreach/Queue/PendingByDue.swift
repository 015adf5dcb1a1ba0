/// Deliveries waiting to be sent (queued, or failed and due again), split at an instant: those a
/// worker takes now, and those scheduled for later (an embargo, quiet hours, a retry's backoff).
public struct PendingByDue: Sendable, Equatable {
    public var dueNow: Int
    public var later: Int
    /// When the first of `later` is due; nil when none is.
    public var nextLater: Int64?

    public init(dueNow: Int = 0, later: Int = 0, nextLater: Int64? = nil) {
        self.dueNow = dueNow
        self.later = later
        self.nextLater = nextLater
    }
}
