import Foundation

/// When an event happens: a wall-clock start in an IANA time zone, a duration, an optional
/// recurrence with exceptions, and reminder offsets. Pure values; no store.
public struct EventSchedule: Sendable, Hashable {
    /// Wall-clock start of the first occurrence, in `timeZone`.
    public let start: LocalDateTime
    public let timeZone: TimeZone
    /// Positive; days keep the local clock time, hours and minutes are exact.
    public let duration: EventDuration
    public let rule: RecurrenceRule?
    /// EXDATE: wall-clock starts left out of the series.
    public let exceptions: [LocalDateTime]
    /// Offsets from each occurrence's start, negative for before ("-1d", "-2h").
    public let reminders: [EventDuration]

    /// Checks the parts fit together: the start is an occurrence of the rule, every exception is an
    /// occurrence, a finite rule has at most `RecurrenceRule.maximumCount` occurrences.
    public init(
        start: LocalDateTime, timeZone: TimeZone, duration: EventDuration, rule: RecurrenceRule? = nil,
        exceptions: [LocalDateTime] = [], reminders: [EventDuration] = []
    ) throws(EventError) {
        self.start = start
        self.timeZone = timeZone
        self.duration = duration
        self.rule = rule
        self.exceptions = exceptions
        self.reminders = reminders
        try validate()
    }

    /// Builds a schedule from the CLI's text: `--start`, `--tz`, `--duration`, `--rrule`, `--exdate`, `--remind`.
    public init(
        start: String, timeZone: String, duration: String, rrule: String? = nil,
        exdates: [String] = [], reminders: [String] = []
    ) throws(EventError) {
        let startValue = try LocalDateTime(parsing: start, field: .start)
        let zoneName = timeZone.trimmingCharacters(in: .whitespaces)
        // Only IANA names: Foundation also takes "GMT+1" or "CET", which have no place in a calendar.
        guard let zone = TimeZone(identifier: zoneName),
            Self.knownZones.contains(zoneName) || ["UTC", "Etc/UTC", "GMT", "Etc/GMT"].contains(zoneName)
                || zoneName.contains("/")
        else {
            throw .invalid(
                field: .timeZone, value: timeZone,
                reason: "unknown time zone '\(timeZone)' (use an IANA name such as Europe/Copenhagen)")
        }
        let length = try EventDuration(parsing: duration, field: .duration)
        let rule = try rrule.map { (text: String) throws(EventError) in
            try RecurrenceRule(parsing: text, timeZone: zone)
        }
        var exceptions: [LocalDateTime] = []
        for text in exdates { exceptions.append(try LocalDateTime(parsing: text, field: .exdate)) }
        var offsets: [EventDuration] = []
        for text in reminders { offsets.append(try EventDuration(parsing: text, field: .remind, signRequired: true)) }
        try self.init(
            start: startValue, timeZone: zone, duration: length, rule: rule, exceptions: exceptions, reminders: offsets)
    }

    static let knownZones = Set(TimeZone.knownTimeZoneIdentifiers)

    private func validate() throws(EventError) {
        guard start.isValid else {
            throw .invalid(field: .start, value: "\(start)", reason: "'\(start)' is not a real date and time")
        }
        guard !duration.isNegative, !duration.isZero else {
            throw .invalid(
                field: .duration, value: "\(duration)",
                reason: "the duration must be longer than zero, got '\(duration)'")
        }
        guard duration.days <= 366 else {
            throw .invalid(
                field: .duration, value: "\(duration)", reason: "the duration must be at most a year, got '\(duration)'"
            )
        }
        var seen: Set<EventDuration> = []
        for r in reminders {
            guard seen.insert(r).inserted else {
                throw .invalid(field: .remind, value: "\(r)", reason: "the reminder '\(r)' is given twice")
            }
            guard abs(r.days) <= 366 else {
                throw .invalid(
                    field: .remind, value: "\(r)", reason: "a reminder must be within a year of the start, got '\(r)'")
            }
        }
        guard let rule else {
            if let x = exceptions.first {
                throw .invalid(
                    field: .exdate, value: "\(x)", reason: "an exception date needs a recurring event (--rrule)")
            }
            return
        }
        let expansion = rule.localStarts(
            from: start, timeZone: timeZone, horizon: nil, limit: RecurrenceRule.maximumCount + 1)
        guard expansion.starts.first == start else {
            throw .invalid(
                field: .start, value: "\(start)",
                reason:
                    "\(start) (a \(start.weekday.name)) is not a day the rule \(rule.icalendar) picks; start the event on its first occurrence"
            )
        }
        if case .until = rule.end, expansion.starts.count > RecurrenceRule.maximumCount {
            throw .invalid(
                field: .rrule, value: rule.icalendar,
                reason: "the rule gives more than \(RecurrenceRule.maximumCount) occurrences; use an earlier UNTIL")
        }
        let all = Set(
            rule.localStarts(from: start, timeZone: timeZone, horizon: horizon, limit: RecurrenceRule.maximumCount)
                .starts)
        var excluded: Set<LocalDateTime> = []
        for x in exceptions {
            guard all.contains(x) else {
                throw .invalid(field: .exdate, value: "\(x)", reason: "\(x) is not an occurrence of the event")
            }
            guard excluded.insert(x).inserted else {
                throw .invalid(field: .exdate, value: "\(x)", reason: "\(x) is given twice")
            }
        }
        if excluded.count == all.count, isFinite {
            throw .invalid(
                field: .exdate, value: "\(exceptions[0])", reason: "the exception dates leave no occurrence at all")
        }
    }
}
