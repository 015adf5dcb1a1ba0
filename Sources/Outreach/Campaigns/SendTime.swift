import Foundation

/// A campaign's send time as the officer writes it (`--at`): RFC 3339 with an offset
/// (`2027-03-02T09:00:00+01:00`), or `YYYY-MM-DD HH:MM` read in `[campaigns] time_zone` (default:
/// the system's zone) by the events' daylight-saving rule (`TimeZone.instant(for:)`: a time in a
/// spring-forward gap moves forward by the gap, one that happens twice is the first).
public struct SendTime: Sendable {
    /// The zone a time without an offset is read in.
    public let zone: TimeZone

    public init(zone: TimeZone) {
        self.zone = zone
    }

    /// `[campaigns] time_zone`, else the system's zone.
    /// - Throws: `ConfigError` naming `time_zone` when it is not an IANA zone.
    public init(config: Config) throws(ConfigError) {
        guard let section = config.sections["campaigns"], let name = try section.string("time_zone") else {
            self.init(zone: .current)
            return
        }
        guard let zone = TimeZone(identifier: name.trimmingSpaces) else {
            throw section.invalid("time_zone", "is not an IANA time zone like Europe/Copenhagen")
        }
        self.init(zone: zone)
    }

    /// - Returns: the instant (ms since 1970) and the zone it was read in — nil when the text
    ///   carries its own offset; nil when the text is neither form.
    public func parse(_ text: String) -> (millis: Int64, zone: TimeZone?)? {
        if let ms = WallClock.parseRFC3339(text) { return (ms, nil) }
        guard let local = try? LocalDateTime(parsing: text) else { return nil }
        return (Int64(zone.instant(for: local).timeIntervalSince1970 * 1000), zone)
    }

    /// The instant as the zone's clocks show it: `2031-01-15 09:00 America/New_York (UTC-05:00)`.
    public func describe(_ millis: Int64) -> String {
        let date = Date(timeIntervalSince1970: Double(millis) / 1000)
        let offset = zone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let hours = abs(offset) / 3600, minutes = abs(offset) % 3600 / 60
        return "\(zone.localDateTime(for: date)) \(zone.identifier) (UTC\(sign)\(pad(hours)):\(pad(minutes)))"
    }
}
