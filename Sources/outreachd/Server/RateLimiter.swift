import Outreach
import Synchronization

/// A token bucket per client address: `limit.count` requests at once, refilled over `limit.windowMillis`.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Int64
    }

    private let buckets = Mutex<[String: Bucket]>([:])

    /// Takes one token for `key`; returns nil when allowed, else the seconds to wait.
    func take(_ key: String, limit: RateLimit, now: Int64 = WallClock.nowMillis()) -> Int? {
        let perMilli = Double(limit.count) / Double(limit.windowMillis)
        return buckets.withLock { all in
            // Full buckets carry no information; forget them now and then so memory stays bounded.
            if all.count > 10_000 {
                all = all.filter { Double(limit.count) > $0.value.tokens + Double(now - $0.value.updated) * perMilli }
            }
            var b = all[key] ?? Bucket(tokens: Double(limit.count), updated: now)
            b.tokens = min(Double(limit.count), b.tokens + Double(now - b.updated) * perMilli)
            b.updated = now
            if b.tokens >= 1 {
                b.tokens -= 1
                all[key] = b
                return nil
            }
            all[key] = b
            return max(1, Int(((1 - b.tokens) / perMilli / 1000).rounded(.up)))
        }
    }
}
