/// What an event command queued.
public struct EventQueued: Sendable, Equatable {
    /// Deliveries of the invitation, update or cancellation.
    public var invitation = FanOut()
    /// The reminders still ahead (one per occurrence and offset, up to the rolling horizon of an
    /// open series) and when the first falls due: none is queued ahead, each is fanned out to the
    /// members of that moment when it falls due (`EventStore.fanOutDueReminders`).
    public var scheduledReminders = 0
    public var nextReminderAt: Int64?
    /// Reminder deliveries fanned out but not yet sent that a change or a cancel cancelled.
    public var cancelledReminders = 0
    /// Invitations and updates not yet sent that a cancel of the whole event cancelled.
    public var cancelledNotices = 0
    /// Invitations and updates not yet sent that an update replaced (cancelled, `superseded`).
    public var superseded = 0
    public init() {}

    /// Records the reminders `e` has ahead of `now`.
    mutating func schedule(_ e: Event, now: Int64) {
        let s = ScheduledReminders(events: [e], now: now)
        scheduledReminders = s.count
        nextReminderAt = s.next
    }
}
