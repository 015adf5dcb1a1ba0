import Foundation

extension EventSchedule {
    /// The data `events show NAME --json` prints: the definition, then every occurrence with its
    /// start, end and reminders as RFC 3339 in UTC and in the event's local time. With `endingAfter`,
    /// only the occurrences still to end after that moment (see `occurrences(endingAfter:)`).
    /// With `now`, each occurrence and each exception (`exceptions`: `start` as `--exdate` takes it,
    /// `start_utc`, `start_local`) says whether it is `past` (ended by then; an exception when its
    /// start has passed).
    public func showJSON(endingAfter moment: Date? = nil, now: Date? = nil) -> JSON {
        var object: [String: JSON] = [
            "start": .string("\(start)"),
            "time_zone": .string(timeZone.identifier),
            "duration": .string("\(duration)"),
            "rrule": rule.map { .string($0.icalendar) } ?? .null,
            "exdates": .array(exceptions.map { .string("\($0)") }),
            "reminders": .array(reminders.map { .string($0.signed) }),
            "open_ended": .bool(!isFinite),
        ]
        if let horizon { object["horizon"] = .string(RFC3339.local(timeZone.instant(for: horizon), in: timeZone)) }
        object["exceptions"] = .array(
            exceptions.map { x in
                let at = timeZone.instant(for: x)
                var o: [String: JSON] = [
                    "start": .string("\(x)"), "start_utc": .string(RFC3339.utc(at)),
                    "start_local": .string(RFC3339.local(at, in: timeZone)),
                ]
                if let now { o["past"] = .bool(at <= now) }
                return .object(o)
            })
        object["occurrences"] = .array(
            occurrences(endingAfter: moment).map { o in
                var fields: [String: JSON] = [
                    "index": JSON(o.index),
                    "start_utc": .string(RFC3339.utc(o.start)),
                    "start_local": .string(RFC3339.local(o.start, in: timeZone)),
                    "end_utc": .string(RFC3339.utc(o.end)),
                    "end_local": .string(RFC3339.local(o.end, in: timeZone)),
                    "reminders": .array(
                        o.reminders.map { r in
                            .object([
                                "offset": .string(r.offset.signed),
                                "at_utc": .string(RFC3339.utc(r.at)),
                                "at_local": .string(RFC3339.local(r.at, in: timeZone)),
                            ])
                        }),
                ]
                if let now { fields["past"] = .bool(o.end <= now) }
                return .object(fields)
            })
        return .object(object)
    }
}
