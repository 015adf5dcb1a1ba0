import Foundation

/// What `events update` asks of a schedule, as typed; nil keeps the current value.
public struct EventScheduleChange: Sendable, Equatable {
    /// `--start`: the exceptions move with it by the same wall-clock offset.
    public var start: String?
    public var timeZone: String?
    public var duration: String?
    /// `--rrule`; the empty text makes a series a single event.
    public var rrule: String?
    /// `--exdate`: exceptions to add to the ones there are, in the changed series' wall time.
    public var addExceptions: [String]
    /// `--no-exdate`: exceptions to drop, as `events show` lists them.
    public var removeExceptions: [String]
    /// `--remind` (replaces every reminder), `[]` for `--no-reminders`.
    public var reminders: [String]?

    public init(
        start: String? = nil, timeZone: String? = nil, duration: String? = nil, rrule: String? = nil,
        addExceptions: [String] = [], removeExceptions: [String] = [], reminders: [String]? = nil
    ) {
        self.start = start
        self.timeZone = timeZone
        self.duration = duration
        self.rrule = rrule
        self.addExceptions = addExceptions
        self.removeExceptions = removeExceptions
        self.reminders = reminders
    }

    /// True when nothing would change.
    public var isEmpty: Bool {
        start == nil && timeZone == nil && duration == nil && rrule == nil && addExceptions.isEmpty
            && removeExceptions.isEmpty && reminders == nil
    }
}

/// How a schedule's exceptions changed.
public struct ExceptionChanges: Sendable, Equatable {
    /// An exception that moved with a new start.
    public struct Moved: Sendable, Equatable {
        public var from: LocalDateTime
        public var to: LocalDateTime
    }
    public var added: [LocalDateTime] = []
    public var removed: [LocalDateTime] = []
    public var moved: [Moved] = []

    public init(added: [LocalDateTime] = [], removed: [LocalDateTime] = [], moved: [Moved] = []) {
        self.added = added
        self.removed = removed
        self.moved = moved
    }
}

extension EventSchedule {
    /// The same schedule with every exception put back.
    var withoutExceptions: EventSchedule {
        // Cannot fail: the checks that involve no exception passed when `self` was made.
        (try? EventSchedule(
            start: start, timeZone: timeZone, duration: duration, rule: rule, exceptions: [], reminders: reminders))
            ?? self
    }

    /// Every wall-clock start the rule gives, exceptions included (an open series up to its horizon).
    var ruleStarts: Set<LocalDateTime> {
        guard let rule else { return [start] }
        return Set(
            rule.localStarts(from: start, timeZone: timeZone, horizon: horizon, limit: RecurrenceRule.maximumCount)
                .starts)
    }

    /// The instance that starts at `local`, whether or not it is an exception (what a cancelled
    /// occurrence's RECURRENCE-ID names); nil when the rule gives no such start. Its `index` counts
    /// as if there were no exceptions.
    public func instance(at local: LocalDateTime) -> EventOccurrence? {
        let moment = timeZone.instant(for: local).addingTimeInterval(-1)
        return withoutExceptions.occurrences(endingAfter: moment).first { $0.local == local }
    }

    /// The schedule `change` asks for. The exceptions are kept: `--no-exdate` ones dropped first,
    /// the rest moved by the wall-clock offset between the old and the new start, then `--exdate`
    /// ones added. A series made a single event loses its exceptions.
    /// - Throws: `EventError` naming the option: `--no-exdate` for one that is not an exception,
    ///   `--start` (or `--rrule`, `--tz`) when a kept exception no longer falls on an occurrence,
    ///   `--exdate` for one that already is an exception or is not an occurrence, and every check of
    ///   `init(start:timeZone:duration:rrule:exdates:reminders:)`.
    public func applying(_ change: EventScheduleChange) throws(EventError) -> (EventSchedule, ExceptionChanges) {
        var changes = ExceptionChanges()
        for text in change.removeExceptions {
            let x = try LocalDateTime(parsing: text, field: .noExdate)
            guard exceptions.contains(x) else {
                let list =
                    exceptions.isEmpty
                    ? "it has none" : "its exceptions are " + exceptions.map { "\($0)" }.joined(separator: ", ")
                throw .invalid(field: .noExdate, value: text, reason: "\(x) is not an exception of the event (\(list))")
            }
            if !changes.removed.contains(x) { changes.removed.append(x) }
        }
        let t = texts
        let rrule = change.rrule.map { $0.isEmpty ? nil : $0 } ?? t.rrule
        let base = try EventSchedule(
            start: change.start ?? t.start, timeZone: change.timeZone ?? t.timeZone,
            duration: change.duration ?? t.duration, rrule: rrule, reminders: change.reminders ?? t.reminders)
        let delta = base.start.wallSeconds - start.wallSeconds
        var kept: [(from: LocalDateTime, to: LocalDateTime)] = exceptions.filter { !changes.removed.contains($0) }
            .map { (from: $0, to: LocalDateTime(wallSeconds: $0.wallSeconds + delta)) }
        if base.rule == nil {
            // A single event has no exceptions; those of the series go with it.
            changes.removed += kept.map(\.from)
            kept = []
        }
        let starts = base.ruleStarts
        for (from, to) in kept where !starts.contains(to) {
            let field: EventField =
                base.start != start ? .start : base.rule?.icalendar != rule?.icalendar ? .rrule : .timeZone
            let reason =
                from == to
                ? "the exception \(from) is not an occurrence of the changed series"
                : "the exception \(from) would move to \(to), which is not an occurrence of the changed series"
            throw .invalid(
                field: field, value: "\(from)", reason: reason + "; drop it with --no-exdate \"\(from)\" first")
        }
        changes.moved = kept.filter { $0.from != $0.to }.map { ExceptionChanges.Moved(from: $0.from, to: $0.to) }
        var left = kept.map(\.to)
        for text in change.addExceptions {
            let x = try LocalDateTime(parsing: text, field: .exdate)
            guard !left.contains(x) else {
                throw .invalid(field: .exdate, value: text, reason: "\(x) is already an exception of the event")
            }
            left.append(x)
            changes.added.append(x)
        }
        let schedule = try EventSchedule(
            start: base.start, timeZone: base.timeZone, duration: base.duration, rule: base.rule,
            exceptions: left.sorted(), reminders: base.reminders)
        return (schedule, changes)
    }

    /// The schedule with the occurrence starting at `local` left out, to cancel that one meeting.
    /// - Parameters:
    ///   - now: only an occurrence that has not begun by then can be cancelled.
    ///   - name: the event's name, for the messages.
    /// - Throws: `EventError` for `--occurrence`: not a series, not an occurrence, already left
    ///   out, already begun, or the only one left (cancel the whole event instead).
    public func cancelling(_ local: LocalDateTime, now: Date, event name: String) throws(EventError) -> EventSchedule {
        func refuse(_ reason: String) -> EventError { .invalid(field: .occurrence, value: "\(local)", reason: reason) }
        guard rule != nil else {
            throw refuse("'\(name)' is a single event, not a series; cancel it whole with `events cancel \(name)`")
        }
        guard !exceptions.contains(local) else { throw refuse("\(local) is already left out of '\(name)'") }
        guard let meeting = instance(at: local) else {
            throw refuse("\(local) is not an occurrence of '\(name)'; `events show \(name)` lists them")
        }
        guard meeting.start > now else {
            throw refuse("\(local) has already begun; only an occurrence still ahead can be cancelled")
        }
        guard !isFinite || exceptions.count + 1 < ruleStarts.count else {
            throw refuse("\(local) is the only occurrence left; cancel the whole event with `events cancel \(name)`")
        }
        return try EventSchedule(
            start: start, timeZone: timeZone, duration: duration, rule: rule,
            exceptions: (exceptions + [local]).sorted(), reminders: reminders)
    }
}
