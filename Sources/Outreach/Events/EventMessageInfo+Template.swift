import Foundation

extension EventMessageInfo {
    /// What a template sees as `event` in one message about `occurrence`, written in `locale` (the
    /// locale of the template variant rendered, so dates, digits and the title are in the language
    /// of the text around them) and `timeZone` (the reader's): `title`, `when`, `start`, `end`,
    /// `location`, `time_zone`, and `cancelled`, `one_occurrence`, `updated`, `sequence`; an update
    /// adds `changes` (see `changes(occurrence:locale:timeZone:defaultLocale:asOf:)`).
    /// - Parameter asOf: when the message was queued: which occurrence was the next one then.
    public func templateValue(
        _ occurrence: EventOccurrence, locale: String?, timeZone: TimeZone, defaultLocale: String, asOf: Date
    ) -> JSON {
        var fields =
            occurrence.templateContext(
                title: titles.text(for: locale), location: location, locale: locale, timeZone: timeZone,
                defaultLocale: defaultLocale
            ).objectValue ?? [:]
        fields["cancelled"] = .bool(role == .cancellation)
        fields["one_occurrence"] = .bool(cancelledOccurrence != nil)
        fields["updated"] = .bool(role == .update)
        fields["sequence"] = JSON(sequence)
        if role == .update,
            let changes = changes(
                occurrence: occurrence, locale: locale, timeZone: timeZone, defaultLocale: defaultLocale, asOf: asOf)
        {
            fields["changes"] = changes
        }
        return .object(fields)
    }

    /// What an update changed, for the reader: `title`, `time` and `place`, each `{old, new}` and
    /// present only when it changed (`time`: the next occurrence starts or ends at another moment,
    /// written out as `when` is; `place`: `new` is empty when the place was removed), and `dates`
    /// (true) when the series' rule or its exceptions changed beyond moving with a new start.
    /// Nil when the message tells of no update, or nothing of these changed.
    func changes(
        occurrence: EventOccurrence, locale: String?, timeZone: TimeZone, defaultLocale: String, asOf: Date
    ) -> JSON? {
        guard let previous else { return nil }
        var out: [String: JSON] = [:]
        let (oldTitle, newTitle) = (previous.titles.text(for: locale), titles.text(for: locale))
        if oldTitle != newTitle { out["title"] = ["old": .string(oldTitle), "new": .string(newTitle)] }
        if let before = previous.schedule.occurrences(endingAfter: asOf).first ?? previous.schedule.occurrences().first,
            before.start != occurrence.start || before.end != occurrence.end
        {
            let when = { (d: Date) in
                EventWhen.text(d, locale: locale, timeZone: timeZone, defaultLocale: defaultLocale)
            }
            out["time"] = ["old": .string(when(before.start)), "new": .string(when(occurrence.start))]
        }
        if (previous.location ?? "") != (location ?? "") {
            out["place"] = ["old": .string(previous.location ?? ""), "new": .string(location ?? "")]
        }
        let delta = schedule.start.wallSeconds - previous.schedule.start.wallSeconds
        let moved = Set(previous.schedule.exceptions.map { LocalDateTime(wallSeconds: $0.wallSeconds + delta) })
        if previous.schedule.rule?.icalendar != schedule.rule?.icalendar || moved != Set(schedule.exceptions) {
            out["dates"] = .bool(true)
        }
        return out.isEmpty ? nil : .object(out)
    }
}
