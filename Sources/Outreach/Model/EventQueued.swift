/// What an event command queued.
public struct EventQueued: Sendable, Equatable {
    /// Deliveries of the invitation, update or cancellation.
    public var invitation = FanOut()
    /// Reminder deliveries queued for later, and how many reminder messages they belong to.
    public var reminders = 0
    public var reminderMessages = 0
    /// Pending reminder deliveries cancelled (update, cancel).
    public var cancelledReminders = 0
    /// Invitations and updates not yet sent that an update replaced (cancelled, `superseded`).
    public var superseded = 0
    public init() {}
}
