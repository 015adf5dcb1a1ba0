import Synchronization

/// Where the delivery pipeline reads the time: the system's wall clock in the daemon, a clock
/// moved by hand in unit tests (quiet hours, retries and leases without waiting).
public protocol TimeSource: Sendable {
    /// Milliseconds since 1970, UTC (`WallClock`'s unit).
    func nowMillis() -> Int64
}

/// The system's wall clock.
public struct SystemTime: TimeSource {
    public init() {}
    public func nowMillis() -> Int64 { WallClock.nowMillis() }
}

/// A clock that stands still until moved (tests).
public final class ManualTime: TimeSource {
    private let now: Atomic<Int64>

    public init(_ millis: Int64) { now = Atomic(millis) }

    public func nowMillis() -> Int64 { now.load(ordering: .relaxed) }

    /// Moves the clock forward by `millis`.
    public func advance(by millis: Int64) { now.add(millis, ordering: .relaxed) }

    /// Sets the clock to `millis`.
    public func set(_ millis: Int64) { now.store(millis, ordering: .relaxed) }
}
