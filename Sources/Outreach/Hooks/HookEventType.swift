/// What a `[hooks.NAME]` table can subscribe to: a delivery reaching a state that tells the
/// outside something, or a person joining or leaving a list.
///
/// The store records an event in the transaction of the change itself (SQLite: triggers on
/// `deliveries` and `memberships`), so no change is told twice or lost (docs/hooks.md). The
/// mapping from states to types is here (`deliveryState`, `membershipState`) and in the triggers.
public enum HookEventType: String, Sendable, CaseIterable, Comparable {
    /// The peer accepted the message (`sending` → `sent`).
    case deliverySent = "delivery.sent"
    /// A receipt says it arrived (`delivered`).
    case deliveryDelivered = "delivery.delivered"
    /// A receipt or a bounce says it did not arrive (`bounced`).
    case deliveryBounced = "delivery.bounced"
    /// The person marked it as spam (`complained`, from a feedback report).
    case deliveryComplained = "delivery.complained"
    /// Given up for good (`dead`): a permanent refusal, the last attempt, or `max_age`. A failure
    /// that is tried again is no event.
    case deliveryFailed = "delivery.failed"
    /// A member left a list (any way: one-click, the link page, the CLI, SMS STOP, a complaint).
    case contactUnsubscribed = "contact.unsubscribed"
    /// A member joined a list (the CLI, an import, a sign-up, a confirmation).
    case contactSubscribed = "contact.subscribed"

    /// The delivery state whose reaching is this event; nil for membership events.
    public var deliveryState: String? {
        switch self {
        case .deliverySent: return "sent"
        case .deliveryDelivered: return "delivered"
        case .deliveryBounced: return "bounced"
        case .deliveryComplained: return "complained"
        case .deliveryFailed: return "dead"
        case .contactUnsubscribed, .contactSubscribed: return nil
        }
    }

    /// The membership state whose reaching is this event; nil for delivery events.
    public var membershipState: MembershipState? {
        switch self {
        case .contactSubscribed: return .subscribed
        case .contactUnsubscribed: return .unsubscribed
        default: return nil
        }
    }

    /// Every type, comma-separated, for error messages.
    public static var list: String { allCases.map(\.rawValue).joined(separator: ", ") }

    public static func < (a: HookEventType, b: HookEventType) -> Bool { a.rawValue < b.rawValue }
}
