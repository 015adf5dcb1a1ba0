/// One callback from a gateway, parsed.
public enum ReceiptEvent: Sendable, Equatable {
    case receipt(Receipt)
    case suppression(SuppressionRequest)
    /// A valid callback that changes nothing (an inbound message that is not a stop keyword).
    case ignored(String)
}
