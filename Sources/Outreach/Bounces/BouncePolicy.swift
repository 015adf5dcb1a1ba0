/// What a bounce counts for (docs/bounces-pipeline.md, "What a bounce does"): Mailman's score per
/// address, with `[bounces] threshold` and `stale_after`.
public struct BouncePolicy: Sendable, Equatable {
    /// An address whose score reaches this is suppressed (`[bounces] threshold`, default 3.0).
    public var threshold: Double
    /// A score whose last counted bounce is older than this starts again from 0
    /// (`[bounces] stale_after`, default 30 days: a monthly newsletter to a dead mailbox still adds up).
    public var staleAfterMillis: Int64
    /// A bounce that names no delivery is matched to the latest email sent to its recipient within
    /// this window (30 days: relays give up within days, feedback loops report within weeks).
    public var attributionWindowMillis: Int64

    public static let hardWeight = 1.0
    public static let softWeight = 0.5
    public static let dayMillis: Int64 = 86_400_000

    /// Enhanced status codes (RFC 3463) that say the mailbox itself does not exist, so one hard
    /// bounce suppresses: 5.1.1 bad mailbox, 5.1.2 bad domain, 5.1.3 bad address syntax, 5.1.6
    /// mailbox moved without forwarding, 5.1.10 null MX (RFC 7505: the domain takes no mail).
    public static let definiteBadMailbox: Set<String> = ["5.1.1", "5.1.2", "5.1.3", "5.1.6", "5.1.10"]

    public init(
        threshold: Double = 3.0, staleAfterMillis: Int64 = 30 * dayMillis,
        attributionWindowMillis: Int64 = 30 * dayMillis
    ) {
        self.threshold = threshold
        self.staleAfterMillis = staleAfterMillis
        self.attributionWindowMillis = attributionWindowMillis
    }

    /// `[bounces] threshold` and `stale_after`; the defaults when the section is absent. Other keys
    /// of `[bounces]` (the mailbox) belong to other readers and are not checked here.
    public init(config: Config) throws(ConfigError) {
        self.init()
        guard let section = config.sections["bounces"] else { return }
        if let t = try section.number("threshold") {
            guard t >= 0.5, t <= 1000 else {
                throw section.invalid(
                    "threshold", "must be a number from 0.5 to 1000 (a hard bounce counts 1, a soft 0.5)")
            }
            threshold = t
        }
        if let s = try section.string("stale_after") {
            guard let ms = WallClock.parseDuration(s), ms >= Self.dayMillis else {
                throw section.invalid("stale_after", "must be a duration of at least a day, like 30d")
            }
            staleAfterMillis = ms
        }
    }

    /// What a hard or soft bounce adds to a score.
    public static func weight(_ kind: BounceKind) -> Double {
        kind == .hard ? hardWeight : kind == .soft ? softWeight : 0
    }

    /// Whether one bounce of this kind and status suppresses at once, whatever the score.
    public static func suppressesAtOnce(_ kind: BounceKind, status: String?) -> Bool {
        kind == .hard && status.map { definiteBadMailbox.contains($0) } == true
    }

    /// The score after a bounce of `weight` at `now`: a stale score starts again, and a day counts
    /// once — its heaviest bounce (a soft then a hard on one day count 1.0, not 1.5).
    public func score(after previous: BounceScore?, address: String, weight: Double, now: Int64) -> BounceScore {
        let day = now / Self.dayMillis
        var s = previous ?? BounceScore(address: address, score: 0, day: -1, dayWeight: 0, lastAt: now)
        if previous != nil, now - s.lastAt > staleAfterMillis {
            s.score = 0
            s.day = -1
            s.dayWeight = 0
        }
        if s.day == day {
            s.score += max(0, weight - s.dayWeight)
            s.dayWeight = max(s.dayWeight, weight)
        } else {
            s.score += weight
            s.day = day
            s.dayWeight = weight
        }
        s.lastAt = now
        return s
    }
}

/// An address's bounce score (`bounce_scores`).
public struct BounceScore: Sendable, Equatable {
    public var address: String
    public var score: Double
    /// The last day (days since 1970, UTC) a bounce counted, and what it counted that day.
    public var day: Int64
    public var dayWeight: Double
    /// When the last bounce counted (ms).
    public var lastAt: Int64

    public init(address: String, score: Double, day: Int64, dayWeight: Double, lastAt: Int64) {
        self.address = address
        self.score = score
        self.day = day
        self.dayWeight = dayWeight
        self.lastAt = lastAt
    }
}
