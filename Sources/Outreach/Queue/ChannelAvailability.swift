import Synchronization

/// Which channels' endpoints are down, and when to probe them. While a channel is down its
/// deliveries wait without spending attempts (only `max_age` still applies); one probe per channel
/// tests the endpoint on its own backoff, and the whole channel resumes at the first success.
public final class ChannelAvailability: Sendable {
    /// A channel that cannot be reached.
    public struct Outage: Sendable, Equatable {
        public var since: Int64
        public var lastError: String
        public var failures: Int
        public var nextProbeAt: Int64

        public init(since: Int64, lastError: String, failures: Int, nextProbeAt: Int64) {
            self.since = since
            self.lastError = lastError
            self.failures = failures
            self.nextProbeAt = nextProbeAt
        }
    }

    /// How a worker may use a channel now.
    public enum Mode: Sendable, Equatable {
        case normal
        /// Down, and a probe is due: send one message to test the endpoint.
        case probe
        /// Down: nothing before this instant.
        case wait(until: Int64)
    }

    /// The first probe comes after this long, doubling up to `maxProbeMillis`.
    public let firstProbeMillis: Int64
    public let maxProbeMillis: Int64
    private let outages = Mutex<[String: Outage]>([:])

    public init(firstProbeMillis: Int64 = 1_000, maxProbeMillis: Int64 = 60_000) {
        self.firstProbeMillis = firstProbeMillis
        self.maxProbeMillis = maxProbeMillis
    }

    public func mode(_ channel: String, now: Int64) -> Mode {
        outages.withLock { o in
            guard let out = o[channel] else { return .normal }
            if now < out.nextProbeAt { return .wait(until: out.nextProbeAt) }
            // One probe at a time: the next is pushed back until this one reports.
            o[channel]?.nextProbeAt = now + maxProbeMillis
            return .probe
        }
    }

    /// Records a failure to reach `channel`; returns the outage, with when the next probe is due.
    @discardableResult
    public func markDown(_ channel: String, now: Int64, error: String) -> Outage {
        outages.withLock { o in
            var out = o[channel] ?? Outage(since: now, lastError: error, failures: 0, nextProbeAt: now)
            out.failures += 1
            out.lastError = error
            let shift = Int64(min(out.failures - 1, 16))
            out.nextProbeAt = now + min(maxProbeMillis, firstProbeMillis << shift)
            o[channel] = out
            return out
        }
    }

    /// Records that `channel` answered; returns the outage it ends, if there was one.
    @discardableResult
    public func markUp(_ channel: String) -> Outage? {
        outages.withLock { $0.removeValue(forKey: channel) }
    }

    /// Lets the next probe come at `at` (a probe found nothing to send).
    public func allowProbe(_ channel: String, at: Int64) {
        outages.withLock { o in if o[channel] != nil { o[channel]!.nextProbeAt = min(o[channel]!.nextProbeAt, at) } }
    }

    public func outage(_ channel: String) -> Outage? { outages.withLock { $0[channel] } }
    public var all: [String: Outage] { outages.withLock { $0 } }
}
