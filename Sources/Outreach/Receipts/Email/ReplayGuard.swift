import Synchronization

/// Refuses a signed request whose time is outside a window around now, and remembers the ids
/// (Mailgun's token, SNS's MessageId) seen within it, so a captured request cannot be sent again.
///
/// The memory lasts as long as the process: after a restart a request still inside the window can
/// be replayed once, which the window bounds. At most `capacity` ids are kept; past that the
/// oldest are forgotten first (they are the nearest to leaving the window anyway).
public final class ReplayGuard: Sendable {
    /// What `admit` found.
    public enum Verdict: Sendable, Equatable {
        /// Inside the window and not seen before: now remembered.
        case fresh
        /// Older than the window by this many seconds.
        case stale(seconds: Int64)
        /// Later than now by more than the window, by this many seconds.
        case future(seconds: Int64)
        /// Seen before within the window.
        case seen
    }

    /// Seconds either side of now a request's time may be.
    public let window: Int64
    let capacity: Int
    private let state: Mutex<State>

    private struct State {
        var seen: [String: Int64] = [:]
        /// Ids in the order they were admitted, with their times; `head` is the oldest still kept.
        var order: [(id: String, at: Int64)] = []
        var head = 0
    }

    public init(window: Int64, capacity: Int = 1_000_000) {
        self.window = window
        self.capacity = capacity
        state = Mutex(State())
    }

    /// Checks `id` signed at `time` (seconds since 1970) against `now` (seconds), and remembers it if fresh.
    public func admit(id: String, time: Int64, now: Int64) -> Verdict {
        // Both come from clocks or from checked digits (at most 12 of them): no overflow here.
        if now - time > window { return .stale(seconds: now - time) }
        if time - now > window { return .future(seconds: time - now) }
        return state.withLock { s in
            Self.forget(&s, before: now - window, capacity: capacity)
            if s.seen[id] != nil { return .seen }
            s.seen[id] = time
            s.order.append((id, time))
            return .fresh
        }
    }

    /// Drops the ids that left the window (and the oldest past `capacity`); compacts now and then.
    private static func forget(_ s: inout State, before limit: Int64, capacity: Int) {
        while s.head < s.order.count, s.order[s.head].at < limit || s.order.count - s.head >= capacity {
            let (id, at) = s.order[s.head]
            if s.seen[id] == at { s.seen[id] = nil }
            s.head += 1
        }
        if s.head > 1_024, s.head * 2 > s.order.count {
            s.order.removeFirst(s.head)
            s.head = 0
        }
    }
}
