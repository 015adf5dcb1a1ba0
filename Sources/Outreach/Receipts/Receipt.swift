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

    public init(deliveryID: Int64? = nil, providerID: String? = nil, state: State, reason: String? = nil,
                phone: String? = nil, suppress: Bool = false) {
        self.deliveryID = deliveryID
        self.providerID = providerID
        self.state = state
        self.reason = reason
        self.phone = phone
        self.suppress = suppress
    }
}

/// A request from a recipient to stop messages to a number (an SMS "STOP" reply).
public struct SuppressionRequest: Sendable, Equatable {
    /// The sender of the reply, E.164 when it could be normalised.
    public var phone: String
    /// The keyword they sent, e.g. "STOP".
    public var keyword: String

    public init(phone: String, keyword: String) {
        self.phone = phone
        self.keyword = keyword
    }
}

/// One callback from a gateway, parsed.
public enum ReceiptEvent: Sendable, Equatable {
    case receipt(Receipt)
    case suppression(SuppressionRequest)
    /// A valid callback that changes nothing (an inbound message that is not a stop keyword).
    case ignored(String)
}

/// Why a callback could not be parsed; the endpoint answers 400 with this sentence.
public enum ReceiptError: Error, Equatable, Sendable, CustomStringConvertible {
    case missingField(String)
    case invalidField(String, value: String)
    case unknownFormat(String)

    public var description: String {
        switch self {
        case .missingField(let f): return "The receipt has no \(f) field."
        case .invalidField(let f, let v): return "The receipt's \(f) field \"\(v)\" is not valid."
        case .unknownFormat(let p): return "Receipts in the \"\(p)\" format are not understood; use kannel or twilio."
        }
    }
}
