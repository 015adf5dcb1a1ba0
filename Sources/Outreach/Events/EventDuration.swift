/// A length of time in RFC 5545 terms: a nominal part in calendar days (weeks count as 7 days),
/// which keeps the local clock time, and an exact part in seconds. Both parts carry the same sign.
public struct EventDuration: Sendable, Hashable, CustomStringConvertible {
    /// Calendar days (weeks × 7 + days).
    public var days: Int
    /// Exact seconds (hours × 3600 + minutes × 60 + seconds).
    public var seconds: Int

    public init(days: Int = 0, seconds: Int = 0) {
        self.days = days
        self.seconds = seconds
    }

    public var isNegative: Bool { days < 0 || seconds < 0 }
    public var isZero: Bool { days == 0 && seconds == 0 }

    /// Compact form, as typed on the command line: "1h30m", "-1d", "-2w".
    public var description: String {
        if isZero { return "0m" }
        var out = isNegative ? "-" : ""
        let d = abs(days), s = abs(seconds)
        if d > 0 { out += d % 7 == 0 ? "\(d / 7)w" : "\(d)d" }
        if s / 3600 > 0 { out += "\(s / 3600)h" }
        if s % 3600 / 60 > 0 { out += "\(s % 3600 / 60)m" }
        if s % 60 > 0 { out += "\(s % 60)s" }
        return out
    }

    /// Like `description` but always signed, as a reminder offset is written: "-1d", "+30m".
    public var signed: String { isNegative ? description : "+" + description }

    /// RFC 5545 DURATION value: "PT2H", "-P1D", "P1W", "P1DT2H".
    public var iso: String {
        var out = isNegative ? "-P" : "P"
        let d = abs(days), s = abs(seconds)
        if d > 0 && s == 0 && d % 7 == 0 { return out + "\(d / 7)W" }
        if d > 0 { out += "\(d)D" }
        if s > 0 || d == 0 {
            out += "T"
            if s / 3600 > 0 { out += "\(s / 3600)H" }
            if s % 3600 / 60 > 0 { out += "\(s % 3600 / 60)M" }
            if s % 60 > 0 || s == 0 { out += "\(s % 60)S" }
        }
        return out
    }
}
