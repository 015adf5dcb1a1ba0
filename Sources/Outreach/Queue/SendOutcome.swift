/// What became of a message sent at once (`send` without `--queue-only`): whether anything went
/// out, and when nothing did, why — one reason per delivery.
public enum SendOutcome {
    /// States in which a delivery was handed to its channel.
    public static let handedOver: Set<DeliveryState> = [.sent, .delivered, .bounced, .complained]

    /// States in which a delivery is still on its way (quiet hours, a retry): the message is
    /// accepted, and a caller that took it for a failure and sent again would send it twice.
    public static let stillPending: Set<DeliveryState> = [.queued, .failed, .sending]

    /// Whether nothing of the message went out and nothing of it ever will (suppressed, cancelled,
    /// dead): only then does `send` exit 1. What still waits is said, with exit 0.
    public static func willNeverGoOut(_ deliveries: [Delivery]) -> Bool {
        !deliveries.contains { handedOver.contains($0.state) || stillPending.contains($0.state) }
    }

    /// - Parameter deliveries: the message's deliveries after the send attempt.
    /// - Returns: nil when at least one was handed to its channel; else one sentence saying, for
    ///   each (the first five, then how many more), what state it is in and why.
    public static func nothingSent(_ deliveries: [Delivery]) -> String? {
        guard !deliveries.contains(where: { handedOver.contains($0.state) }) else { return nil }
        guard !deliveries.isEmpty else { return "Nothing was sent: the message has no recipient." }
        let shown = deliveries.prefix(5).map(reason)
        let more = deliveries.count > shown.count ? "; and \(deliveries.count - shown.count) more" : ""
        return "Nothing was sent: " + shown.joined(separator: "; ") + more + "."
    }

    /// `a@example.org is on the suppression list (bounce)`, `+4512345678 failed and is tried again at …: …`.
    static func reason(_ d: Delivery) -> String {
        // A room has no per-person address: name the channel's room instead.
        let who = d.address == RecipientAddress.room ? "the room of \(d.channel)" : d.address
        let detail = d.lastError.map { ": \($0.singleLine)" } ?? ""
        let due = d.nextAttemptAt.map { " at " + WallClock.rfc3339($0) } ?? " later"
        switch d.state {
        case .suppressed:
            let why = d.lastError.map { $0.hasPrefix("suppressed: ") ? String($0.dropFirst(12)) : $0 }
            return "\(who) is on the suppression list" + (why.map { " (\($0.singleLine))" } ?? "")
        case .cancelled:
            return "\(who) was cancelled" + (d.cancelReason.map { " (\($0.rawValue))" } ?? "") + detail
        case .dead: return "\(who) failed for good\(detail)"
        case .failed: return "\(who) failed and is tried again\(due)\(detail)"
        case .queued: return "\(who) is queued, due\(due)\(detail)"
        default: return "\(who) is \(d.state.rawValue)\(detail)"
        }
    }
}
