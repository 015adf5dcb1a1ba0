import Foundation

/// One meeting of an event's series, with its reminders.
public struct EventOccurrence: Sendable, Hashable {
    /// Position in the series after exceptions are left out, from 0.
    public var index: Int
    /// The wall-clock start the rule gives (before any spring-forward shift); RECURRENCE-ID value.
    public var local: LocalDateTime
    public var start: Date
    public var end: Date
    /// One per reminder offset, in the order the offsets were given.
    public var reminders: [EventReminder]
}

/// When to remind about one occurrence.
public struct EventReminder: Sendable, Hashable {
    public var offset: EventDuration
    public var at: Date
}
