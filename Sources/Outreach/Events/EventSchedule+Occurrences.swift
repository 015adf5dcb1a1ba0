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

    /// Wall-clock end of the expansion for an open-ended series: `horizonYears` after its start.
    public var horizon: LocalDateTime? { horizon(from: start) }

    func horizon(from local: LocalDateTime) -> LocalDateTime? {
        guard !isFinite else { return nil }
        let year = local.year + Self.horizonYears
        return local.on(
            year: year, month: local.month, day: min(local.day, LocalDateTime.daysIn(year: year, month: local.month)))
    }

    /// Every occurrence in order, exceptions left out. Open-ended series stop at `horizon` or after
    /// `RecurrenceRule.maximumCount` occurrences, whichever comes first.
    public func occurrences() -> [EventOccurrence] { occurrences(endingAfter: nil) }

    /// The occurrences that end after `moment`. For an open-ended series the horizon moves with it:
    /// up to `horizonYears` after `moment`, at most `RecurrenceRule.maximumCount` of them; this is
    /// how a long-running daemon keeps finding reminders past the first two years.
    /// `index` still counts from the first occurrence of the whole series.
    public func occurrences(endingAfter moment: Date?) -> [EventOccurrence] {
        var locals = [start]
        var bound = horizon
        if let moment, let h = horizon(from: timeZone.localDateTime(for: moment)), let b = bound, h > b { bound = h }
        if let rule {
            // The limit only bounds what comes after `moment`; what ends before is dropped below.
            let limit = moment == nil || isFinite ? RecurrenceRule.maximumCount : Int.max
            locals = rule.localStarts(from: start, timeZone: timeZone, horizon: bound, limit: limit).starts
        }
        let skip = Set(exceptions)
        let all = locals.filter { !skip.contains($0) }.enumerated().map { index, local in
            EventOccurrence(
                index: index, local: local, start: timeZone.instant(for: local), end: instant(local, plus: duration),
                reminders: reminders.map { EventReminder(offset: $0, at: instant(local, plus: $0)) })
        }
        guard let moment else { return all }
        return Array(all.filter { $0.end > moment }.prefix(RecurrenceRule.maximumCount))
    }

    /// `local` moved by `offset` the RFC 5545 way: the days first on the calendar (keeping the clock
    /// time, whatever daylight saving does), then the hours and minutes as exact time.
    public func instant(_ local: LocalDateTime, plus offset: EventDuration) -> Date {
        timeZone.instant(for: local.addingDays(offset.days)).addingTimeInterval(TimeInterval(offset.seconds))
    }
}
