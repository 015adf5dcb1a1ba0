import Foundation

/// Time as the store keeps it: milliseconds since 1970, UTC.
public enum WallClock {
    public static func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) + testOffset }

    /// For end-to-end tests only: `OUTREACH_TEST_CLOCK_OFFSET` (whole seconds, may be negative)
    /// moves this clock, so a test brings a recurring campaign's run weeks ahead without waiting;
    /// every process of a test is given the same offset. 0 when unset (`serve` warns when set).
    public static let testOffset: Int64 =
        ProcessInfo.processInfo.environment["OUTREACH_TEST_CLOCK_OFFSET"].flatMap { Int64($0) }.map { $0 * 1000 } ?? 0

    /// `2026-12-01T08:00:00Z`: the one RFC 3339 formatter (`RFC3339.utc`), on milliseconds.
    public static func rfc3339(_ millis: Int64) -> String {
        RFC3339.utc(Date(timeIntervalSince1970: Double(millis / 1000)))
    }

    /// Reads RFC 3339 with a zone (`2026-12-01T09:00:00+01:00`, `…Z`, fractional seconds optional):
    /// the one parser (`Timestamps.parse`), so `--at` and the API's `send_at` agree.
    public static func parseRFC3339(_ s: String) -> Int64? {
        Timestamps.parse(s)
    }

    /// Parses durations like `30s`, `5m`, `2h`, `3d`, `1h30m` into milliseconds.
    public static func parseDuration(_ s: String) -> Int64? {
        var total: Int64 = 0
        var digits = ""
        var any = false
        for c in s {
            if c.isNumber { digits.append(c); continue }
            guard let n = Int64(digits) else { return nil }
            let unit: Int64
            switch c {
            case "s": unit = 1000
            case "m": unit = 60_000
            case "h": unit = 3_600_000
            case "d": unit = 86_400_000
            case "w": unit = 7 * 86_400_000
            default: return nil
            }
            // A duration too long for Int64 milliseconds is not a duration (no trap on a config typo).
            let (part, o1) = n.multipliedReportingOverflow(by: unit)
            let (sum, o2) = total.addingReportingOverflow(part)
            guard !o1, !o2 else { return nil }
            total = sum
            digits = ""
            any = true
        }
        guard digits.isEmpty, any else { return nil }
        return total
    }
}
