/// When a node counts as dead: silent for `missedBeats` heartbeats in a row. Three at the default
/// 5 s is 15 s: long enough that a busy node or a slow statement is not taken for dead, short
/// enough that a dead node's deliveries go out again within seconds rather than at `[server] lease`.
public struct NodeLiveness: Sendable, Equatable {
    /// How many heartbeats a node may miss before the others release its leases.
    public static let missedBeats: Int64 = 3
    /// The default `[storage] heartbeat`.
    public static let defaultHeartbeatMillis: Int64 = 5_000

    /// How often each node records that it is alive (`[storage] heartbeat`).
    public let heartbeatMillis: Int64

    public init(heartbeatMillis: Int64 = Self.defaultHeartbeatMillis) {
        self.heartbeatMillis = heartbeatMillis
    }

    /// A node whose last heartbeat is before this instant is dead at `now`.
    public func silentBefore(now: Int64) -> Int64 {
        now - Self.missedBeats * heartbeatMillis
    }
}
