import Foundation
import Synchronization

/// `SendPacing` for one process: each channel's next free instant in memory, on the uptime clock.
/// What a SQLite store paces with (one file is one host), and `PacedChannel`'s default.
public final class LocalPacing: SendPacing {
    /// Each channel's next free instant, in uptime microseconds.
    private let nextFree = Mutex<[String: Int64]>([:])

    public init() {}

    public func reserve(channel: String, costMicros: Int64) -> PacingSlot {
        let now = Int64(DispatchTime.now().uptimeNanoseconds / 1000)
        return nextFree.withLock { next in
            let start = max(next[channel] ?? now, now)
            next[channel] = start + costMicros
            return PacingSlot(start: start, waitMicros: start - now)
        }
    }
}
