import Foundation

extension EventSchedule {
    /// How far ahead an open-ended series (no COUNT, no UNTIL) is expanded, in years from its start.
    public static let horizonYears = 2

    /// True when the rule has COUNT or UNTIL (or there is no rule).
    public var isFinite: Bool {
        guard let rule else { return true }
        if case .never = rule.end { return false }
        return true
    }

    /// Wall-clock end of the expansion for an open-ended series: the start's date `horizonYears` later.
    public var horizon: LocalDateTime? {
        guard !isFinite else { return nil }
        let year = start.year + Self.horizonYears
        return start.on(year: year, month: start.month, day: min(start.day, LocalDateTime.daysIn(year: year, month: start.month)))
    }

    /// Every occurrence in order, exceptions left out. Open-ended series stop at `horizon` or after
    /// `RecurrenceRule.maximumCount` occurrences, whichever comes first.
    public func occurrences() -> [EventOccurrence] {
        let locals: [LocalDateTime]
        if let rule {
            locals = rule.localStarts(from: start, timeZone: timeZone, horizon: horizon, limit: RecurrenceRule.maximumCount).starts
        } else {
            locals = [start]
        }
        let skip = Set(exceptions)
        return locals.filter { !skip.contains($0) }.enumerated().map { index, local in
            EventOccurrence(index: index, local: local, start: timeZone.instant(for: local), end: instant(local, plus: duration),
                            reminders: reminders.map { EventReminder(offset: $0, at: instant(local, plus: $0)) })
        }
    }

    /// `local` moved by `offset` the RFC 5545 way: the days first on the calendar (keeping the clock
    /// time, whatever daylight saving does), then the hours and minutes as exact time.
    public func instant(_ local: LocalDateTime, plus offset: EventDuration) -> Date {
        timeZone.instant(for: local.addingDays(offset.days)).addingTimeInterval(TimeInterval(offset.seconds))
    }
}
