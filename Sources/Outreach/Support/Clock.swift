import Foundation

/// Time as the store keeps it: milliseconds since 1970, UTC.
public enum Clock {
    public static func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }

    public static func rfc3339(_ millis: Int64) -> String {
        var t = time_t(millis / 1000)
        var tm = tm()
        gmtime_r(&t, &tm)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                      tm.tm_hour, tm.tm_min, tm.tm_sec)
    }

    /// Reads RFC 3339 / ISO 8601 (`2026-12-01T09:00:00+01:00`, `…Z`, fractional seconds optional).
    public static func parseRFC3339(_ s: String) -> Int64? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        if let d = f.date(from: s) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: s) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
        return nil
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
