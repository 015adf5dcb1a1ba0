import Foundation

/// `quiet_hours = "21:00-08:00"` in a channel's section: no sends in that window of the
/// recipient's local day. The window may wrap midnight. Recipients without a time zone use
/// `quiet_hours_zone` (an IANA name) or, failing that, the server's zone.
public struct QuietHours: Sendable, Equatable {
    /// Minutes after local midnight.
    public var start: Int
    public var end: Int
    public var fallbackZone: TimeZone

    public init?(_ text: String, fallbackZone: TimeZone) {
        let parts = text.split(separator: "-")
        guard parts.count == 2, let s = Self.minutes(parts[0]), let e = Self.minutes(parts[1]), s != e else {
            return nil
        }
        start = s
        end = e
        self.fallbackZone = fallbackZone
    }

    static func minutes(_ s: Substring) -> Int? {
        let hm = s.trimmingCharacters(in: .whitespaces).split(separator: ":")
        guard hm.count == 2, let h = Int(hm[0]), let m = Int(hm[1]), (0...24).contains(h), (0..<60).contains(m),
            h * 60 + m <= 1440
        else { return nil }
        return h * 60 + m
    }

    /// Reads the channel's `quiet_hours` and `quiet_hours_zone`; nil when not set.
    public static func from(_ section: ConfigSection) throws(ConfigError) -> QuietHours? {
        guard let text = try section.string("quiet_hours") else { return nil }
        var zone = TimeZone.current
        if let z = try section.string("quiet_hours_zone") {
            guard let tz = TimeZone(identifier: z) else {
                throw section.invalid("quiet_hours_zone", "is not an IANA time zone like Europe/Copenhagen")
            }
            zone = tz
        }
        guard let q = QuietHours(text, fallbackZone: zone) else {
            throw section.invalid("quiet_hours", "must be HH:MM-HH:MM like 21:00-08:00")
        }
        return q
    }

    /// When `now` (ms) falls in the quiet window for a recipient in `zone`, the instant it ends; else nil.
    public func deferral(now: Int64, zone name: String?) -> Int64? {
        let zone = name.flatMap(TimeZone.init(identifier:)) ?? fallbackZone
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let date = Date(timeIntervalSince1970: Double(now) / 1000)
        let c = cal.dateComponents([.hour, .minute], from: date)
        let m = (c.hour ?? 0) * 60 + (c.minute ?? 0)
        let quiet = start < end ? (m >= start && m < end) : (m >= start || m < end)
        guard quiet else { return nil }
        // The next local end time; `.nextTime` moves past a wall-clock time that DST skips.
        let endComponents = DateComponents(hour: (end / 60) % 24, minute: end % 60)
        guard let until = cal.nextDate(after: date, matching: endComponents, matchingPolicy: .nextTime) else {
            return nil
        }
        return Int64((until.timeIntervalSince1970 * 1000).rounded())
    }
}
