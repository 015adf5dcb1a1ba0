import Foundation

extension EventMessageInfo {
    /// What a template sees as `event` in one message about `occurrence`, written in `locale` (the
    /// locale of the template variant rendered, so dates, digits and the title are in the language
    /// of the text around them): `title`, `when` and the fields of `EventWhen.fields` (an in-person
    /// event told by the place's clock, an online one by the reader's), `start`, `end` (RFC 3339 in
    /// the zone `when` is in), `location`, `online`, and `cancelled`, `one_occurrence`, `updated`,
    /// `sequence`; an update adds `changes` (see `changes(occurrence:locale:readerZone:defaultLocale:asOf:)`).
    /// - Parameters:
    ///   - readerZone: the reader's zone (their contact's); nil when not known (a room, an ad-hoc address).
    ///   - asOf: when the message was queued: which occurrence was the next one then.
    public func templateValue(
        _ occurrence: EventOccurrence, locale: String?, readerZone: TimeZone?, defaultLocale: String, asOf: Date
    ) -> JSON {
        let when = EventWhen.fields(
            occurrence.start, eventZone: schedule.timeZone, readerZone: readerZone, clock: clock, locale: locale,
            defaultLocale: defaultLocale)
        let shown = when["time_zone"]?.stringValue.flatMap(TimeZone.init(identifier:)) ?? schedule.timeZone
        var fields =
            occurrence.templateContext(
                title: titles.text(for: locale), location: location, locale: locale, timeZone: shown,
                defaultLocale: defaultLocale
            ).objectValue ?? [:]
        fields.merge(when) { $1 }
        fields["online"] = .bool(online || EventDescription.isLink(location))
        fields["cancelled"] = .bool(role == .cancellation)
        fields["one_occurrence"] = .bool(cancelledOccurrence != nil)
        fields["updated"] = .bool(role == .update)
        fields["sequence"] = JSON(sequence)
        if role == .update,
            let changes = changes(
                occurrence: occurrence, locale: locale, readerZone: readerZone, defaultLocale: defaultLocale,
                asOf: asOf)
        {
            fields["changes"] = changes
        }
        return .object(fields)
    }

    /// The clock the event's times are told by: the reader's for an online event (`--online`, or a
    /// place that is a link) and one without a place, else the place's.
    var clock: EventWhen.Clock { EventDescription.clock(online: online, location: location) }

    /// What an update changed, for the reader: `title`, `time` and `place`, each `{old, new}` and
    /// present only when it changed (`time`: the next occurrence starts or ends at another moment,
    /// written out as `when` is; `place`: `new` is empty when the place was removed), and `dates`
    /// (true) when the series' rule or its exceptions changed beyond moving with a new start.
    /// Nil when the message tells of no update, or nothing of these changed.
    func changes(
        occurrence: EventOccurrence, locale: String?, readerZone: TimeZone?, defaultLocale: String, asOf: Date
    ) -> JSON? {
        guard let previous else { return nil }
        var out: [String: JSON] = [:]
        let (oldTitle, newTitle) = (previous.titles.text(for: locale), titles.text(for: locale))
        if oldTitle != newTitle { out["title"] = ["old": .string(oldTitle), "new": .string(newTitle)] }
        if let before = previous.schedule.occurrences(endingAfter: asOf).first ?? previous.schedule.occurrences().first,
            before.start != occurrence.start || before.end != occurrence.end
        {
            let when = { (d: Date, zone: TimeZone, clock: EventWhen.Clock) in
                EventWhen.fields(
                    d, eventZone: zone, readerZone: readerZone, clock: clock, locale: locale,
                    defaultLocale: defaultLocale)["when"] ?? .null
            }
            out["time"] = [
                "old": when(before.start, previous.schedule.timeZone, previous.clock),
                "new": when(occurrence.start, schedule.timeZone, clock),
            ]
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
