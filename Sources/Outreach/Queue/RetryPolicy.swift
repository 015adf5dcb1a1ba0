/// When to try a failed delivery again, and when to give up.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int = 8
    public var maxAgeMillis: Int64 = 3 * 86_400_000
    public var baseMillis: Int64 = 30_000
    public var capMillis: Int64 = 6 * 3_600_000

    public init() {}

    /// Reads `max_attempts`, `max_age`, `retry_base` and `retry_max` from a channel's section.
    public init(section: ConfigSection) throws(ConfigError) {
        if let n = try section.int("max_attempts") {
            guard n >= 1 else { throw section.invalid("max_attempts", "must be at least 1") }
            maxAttempts = n
        }
        func duration(_ key: String) throws(ConfigError) -> Int64? {
            guard let s = try section.string(key) else { return nil }
            guard let ms = WallClock.parseDuration(s), ms > 0 else {
                throw section.invalid(key, "must be a duration like 30s, 5m, 2h or 3d")
            }
            return ms
        }
        if let v = try duration("max_age") { maxAgeMillis = v }
        if let v = try duration("retry_base") { baseMillis = v }
        if let v = try duration("retry_max") { capMillis = v }
    }

    /// The instant to retry at after `attempts` tries, or nil when the delivery should go dead.
    /// Exponential backoff with ±20% jitter, so a relay that comes back is not hit by everyone at once;
    /// a peer's Retry-After wins over the backoff.
    public func retryAt(
        attempts: Int, createdAt: Int64, now: Int64, retryAfterSeconds: Double?,
        random: Double = Double.random(in: 0.8...1.2)
    ) -> Int64? {
        guard attempts < maxAttempts else { return nil }
        let delay: Int64
        // Retry-After comes from a peer and may be any number ("1e300"): every step saturates, and a
        // delay past max_age simply means the delivery goes dead.
        if let ra = retryAfterSeconds, ra >= 0 {
            delay = Int64(saturating: ra * 1000)
        } else {
            let shift = Int64(min(max(attempts - 1, 0), 30))
            let exp = baseMillis > (Int64.max >> shift) ? Int64.max : baseMillis << shift
            delay = Int64(saturating: Double(min(capMillis, exp)) * random)
        }
        let (at, overflow) = now.addingReportingOverflow(delay)
        guard !overflow, at - createdAt <= maxAgeMillis else { return nil }
        return at
    }
}
