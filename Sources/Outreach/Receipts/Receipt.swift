/// What a gateway reported about a message after accepting it.
public struct Receipt: Sendable, Equatable {
    public enum State: String, Sendable {
        /// Reached the handset.
        case delivered
        /// Will not arrive (undeliverable, rejected, expired).
        case failed
        /// Still on its way (buffered, accepted by the SMSC, sent to the carrier).
        case pending
    }

    /// Our delivery id, when the callback carries it (Kannel's `dlr-url` has `id=`).
    public var deliveryID: Int64?
    /// The gateway's message id (Twilio's `MessageSid`), matched against the stored provider id.
    public var providerID: String?
    public var state: State
    /// The gateway's own status word or code, for the delivery's last error.
    public var reason: String?
    /// The recipient's number when the gateway says it (E.164 if it was sent that way).
    public var phone: String?
    /// Whether the failure means the number itself is bad, so it should be suppressed.
    public var suppress: Bool

    public init(
        deliveryID: Int64? = nil, providerID: String? = nil, state: State, reason: String? = nil,
        phone: String? = nil, suppress: Bool = false
    ) {
        self.deliveryID = deliveryID
        self.providerID = providerID
        self.state = state
        self.reason = reason
        self.phone = phone
        self.suppress = suppress
    }
}
