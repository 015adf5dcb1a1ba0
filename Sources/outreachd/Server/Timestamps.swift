import Foundation

/// RFC 3339 times in request bodies (`send_at`), read with Foundation's ISO 8601 format style
/// (fractional seconds optional, a zone required); it parses without ICU, which matters per request.
enum Timestamps {
    private static let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// Milliseconds since 1970, or nil when `text` is not RFC 3339 with a zone.
    static func parse(_ text: String) -> Int64? {
        guard let d = try? style.parse(text) else { return nil }
        return Int64((d.timeIntervalSince1970 * 1000).rounded())
    }
}
