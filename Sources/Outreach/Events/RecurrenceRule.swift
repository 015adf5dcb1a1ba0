import Foundation

/// The RRULE subset Outreach understands: FREQ (DAILY, WEEKLY, MONTHLY), INTERVAL, COUNT, UNTIL,
/// BYDAY (plain days; with an ordinal such as 1MO or -1FR for MONTHLY) and WKST.
public struct RecurrenceRule: Sendable, Hashable {
    public enum Frequency: String, Sendable, Hashable { case daily = "DAILY", weekly = "WEEKLY", monthly = "MONTHLY" }

    /// A BYDAY entry: a weekday, and for MONTHLY optionally which one in the month (1…5, -1…-5).
    public struct DaySpec: Sendable, Hashable, CustomStringConvertible {
        public var ordinal: Int?
        public var weekday: Weekday
        public init(ordinal: Int? = nil, weekday: Weekday) { self.ordinal = ordinal; self.weekday = weekday }
        public var description: String { (ordinal.map(String.init) ?? "") + weekday.rawValue }
    }

    /// Where a series ends.
    public enum End: Sendable, Hashable {
        case never
        case count(Int)
        /// Last instant an occurrence may start at (inclusive).
        case until(Date)
    }

    public var frequency: Frequency
    public var interval: Int
    public var end: End
    public var byDay: [DaySpec]
    public var weekStart: Weekday

    public init(
        frequency: Frequency, interval: Int = 1, end: End = .never, byDay: [DaySpec] = [], weekStart: Weekday = .monday
    ) {
        self.frequency = frequency
        self.interval = interval
        self.end = end
        self.byDay = byDay
        self.weekStart = weekStart
    }

    /// The rule as an RRULE value with UNTIL in UTC, as RFC 5545 requires beside a DTSTART with TZID.
    public var icalendar: String {
        var parts = ["FREQ=\(frequency.rawValue)"]
        if interval != 1 { parts.append("INTERVAL=\(interval)") }
        switch end {
        case .never: break
        case .count(let n): parts.append("COUNT=\(n)")
        case .until(let date): parts.append("UNTIL=\(ICSText.utc(date))")
        }
        if !byDay.isEmpty { parts.append("BYDAY=" + byDay.map(\.description).joined(separator: ",")) }
        if weekStart != .monday { parts.append("WKST=\(weekStart.rawValue)") }
        return parts.joined(separator: ";")
    }
}
