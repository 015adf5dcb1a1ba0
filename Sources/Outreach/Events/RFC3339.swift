import Foundation

/// RFC 3339 timestamps, in UTC ("2026-10-15T16:00:00Z") or with a zone's offset ("2026-10-15T18:00:00+02:00").
public enum RFC3339 {
    public static func utc(_ date: Date) -> String {
        let t = LocalDateTime(wallSeconds: Int(date.timeIntervalSince1970.rounded(.down)))
        return stamp(t) + "Z"
    }

    /// With milliseconds ("2026-10-15T16:00:00.250Z"), for instants that order events within a second.
    public static func utc(millis: Int64) -> String {
        let seconds = millis >= 0 ? millis / 1000 : (millis - 999) / 1000
        let t = LocalDateTime(wallSeconds: Int(seconds))
        let ms = Int(millis - seconds * 1000)
        return stamp(t) + "." + pad(ms, 3) + "Z"
    }

    public static func local(_ date: Date, in zone: TimeZone) -> String {
        let offset = zone.secondsFromGMT(for: date)
        let t = zone.localDateTime(for: date)
        let sign = offset < 0 ? "-" : "+"
        return stamp(t) + sign + pad(abs(offset) / 3600) + ":" + pad(abs(offset) % 3600 / 60)
    }

    private static func stamp(_ t: LocalDateTime) -> String {
        "\(pad(t.year, 4))-\(pad(t.month))-\(pad(t.day))T\(pad(t.hour)):\(pad(t.minute)):\(pad(t.second))"
    }
}
