/// Where a channel's batch falls in its pace (`SendPacing.reserve`).
public struct PacingSlot: Sendable, Equatable {
    /// When the batch may start, in microseconds on the pacer's clock (the database's on
    /// PostgreSQL, this process's uptime otherwise): only differences between slots mean anything.
    public var start: Int64
    /// How long to wait from now before starting, in microseconds; 0 when the channel is free now.
    public var waitMicros: Int64

    public init(start: Int64, waitMicros: Int64) {
        self.start = start
        self.waitMicros = waitMicros
    }
}

/// The shared "next free instant" of each channel that keeps a `rate` (docs/scale-out.md, "Rate
/// across nodes"). The rule — what a batch costs, waiting for its slot, what a failure does — is
/// `PacedChannel`'s; a pacer only keeps the instant, where every sender of the channel sees it:
/// in this process for SQLite (one host), in the database for PostgreSQL (every node).
public protocol SendPacing: AnyObject, Sendable {
    /// Takes the next `costMicros` of `channel`'s time: the slot starts where the last slot taken
    /// ended, or now when that is past, and the next slot starts `costMicros` after it. Slots taken
    /// at once, from any thread or node, never overlap.
    /// - Throws: the backend's error when the shared instant cannot be reached (nothing taken).
    func reserve(channel: String, costMicros: Int64) throws -> PacingSlot
}
