/// Why a delivery ended `cancelled` without being handed to a channel.
public enum CancelReason: String, Sendable, CaseIterable {
    /// The contact left the message's list.
    case unsubscribed
    /// The contact is no longer (or not yet) a subscribed member: pending, or removed.
    case notSubscribed = "not-subscribed"
    /// The address is on the suppression list (bounce, complaint, STOP, unsubscribed from all).
    case suppressed
    /// The person was erased.
    case erased
    case campaignCancelled = "campaign-cancelled"
    /// Held by a paused campaign; resuming queues it again.
    case paused
    /// An event changed or was cancelled: its pending reminders were replaced.
    case eventChanged = "event-changed"
    /// An event's invitation or update not yet sent when a newer update came: the person gets the
    /// newer one instead (saying what changed since what they last had).
    case superseded
    /// `outreachd queue cancel`.
    case manual
}
