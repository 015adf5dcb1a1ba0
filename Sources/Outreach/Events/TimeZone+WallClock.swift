import Foundation

extension TimeZone {
    /// The instant at which this zone's clocks show `local`.
    ///
    /// RFC 5545 §3.3.5: a wall time that falls in a spring-forward gap is read with the offset in
    /// force before the gap, which moves it forward by the gap's length (02:30 → 03:30); a wall
    /// time that happens twice at a fall-back change means the first of the two.
    public func instant(for local: LocalDateTime) -> Date {
        let wall = local.wallSeconds
        let before = secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall - 86400)))
        let after = secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(wall + 86400)))
        let valid = Set([before, after]).map { wall - $0 }.filter { utc in
            secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(utc))) == wall - utc
        }
        if let first = valid.min() { return Date(timeIntervalSince1970: TimeInterval(first)) }
        return Date(timeIntervalSince1970: TimeInterval(wall - before))
    }

    /// The wall-clock time this zone shows at `date` (whole seconds).
    public func localDateTime(for date: Date) -> LocalDateTime {
        let utc = Int(date.timeIntervalSince1970.rounded(.down))
        return LocalDateTime(wallSeconds: utc + secondsFromGMT(for: date))
    }
}
