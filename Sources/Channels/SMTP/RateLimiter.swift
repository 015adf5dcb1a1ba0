import Foundation

/// A token bucket: `take` blocks until at least one message may go, and returns how many may go now.
struct RateLimiter: Sendable {
    let perSecond: Double?
    private var tokens: Double
    private var last: Double

    init(perSecond: Double?) {
        self.perSecond = perSecond
        tokens = max(1, perSecond ?? 0)
        last = Date().timeIntervalSince1970
    }

    mutating func take(max wanted: Int) -> Int {
        guard let rate = perSecond else { return wanted }
        while true {
            let now = Date().timeIntervalSince1970
            tokens = min(Swift.max(1, rate), tokens + (now - last) * rate)
            last = now
            if tokens >= 1 {
                let n = Swift.min(wanted, Int(tokens))
                tokens -= Double(n)
                return n
            }
            Thread.sleep(forTimeInterval: (1 - tokens) / rate)
        }
    }
}
