import Foundation

extension EventOccurrence {
    /// What a template sees as `event` for this occurrence and one recipient: `title`, `when` (written
    /// out in the recipient's language and time zone), `start` and `end` (RFC 3339 in that zone),
    /// `location`, `time_zone`.
    public func templateContext(
        title: String, location: String?, locale: String?, timeZone: TimeZone,
        defaultLocale: String = "en"
    ) -> JSON {
        .object([
            "title": .string(title),
            "when": .string(EventWhen.text(start, locale: locale, timeZone: timeZone, defaultLocale: defaultLocale)),
            "start": .string(RFC3339.local(start, in: timeZone)),
            "end": .string(RFC3339.local(end, in: timeZone)),
            "location": location.map { .string($0) } ?? .null,
            "time_zone": .string(timeZone.identifier),
        ])
    }
}
