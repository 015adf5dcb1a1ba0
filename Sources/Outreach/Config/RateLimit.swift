/// `COUNT/UNIT`, as in `5/m` or `50/s` (units s, m, h, d, or a duration like `10s`): the one rate
/// type, for a channel's `rate` (SMTP's included) and the sign-up form's `subscribe_rate`.
public struct RateLimit: Sendable, Equatable {
    public var count: Int
    public var windowMillis: Int64

    public init(count: Int, windowMillis: Int64) {
        self.count = count
        self.windowMillis = windowMillis
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "/")
        guard parts.count == 2, let n = Int(parts[0].trimmingCharacters(in: .whitespaces)), n > 0 else { return nil }
        let unit = parts[1].trimmingCharacters(in: .whitespaces)
        let ms: Int64
        switch unit {
        case "s": ms = 1000
        case "m", "min": ms = 60_000
        case "h": ms = 3_600_000
        case "d": ms = 86_400_000
        default:
            guard let d = WallClock.parseDuration(unit) else { return nil }
            ms = d
        }
        // A window of no time is no rate (`5/0s`): it would make every pace infinite.
        guard ms > 0 else { return nil }
        count = n
        windowMillis = ms
    }

    public var perSecond: Double { Double(count) * 1000 / Double(windowMillis) }
}
