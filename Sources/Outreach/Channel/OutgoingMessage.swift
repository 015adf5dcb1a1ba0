/// One delivery, rendered and ready for a channel.
public struct OutgoingMessage: Sendable {
    /// The delivery's id; webhooks send it as `webhook-id`, Matrix as the transaction id.
    public var deliveryID: Int64
    /// Email address, E.164 phone number, or chat address; empty for room targets.
    public var address: String
    public var recipientName: String?
    public var subject: String?
    /// Plain text body (email text part, SMS text, chat text).
    public var text: String
    public var html: String?
    /// Rendered `.json` template body, for generic webhooks.
    public var body: String?
    /// The complete RFC 5322 message, for email channels.
    public var mime: [UInt8]?
    /// SMTP envelope sender (bounce address).
    public var envelopeFrom: String?
    /// The id a receiver drops repeats by (`webhook-id`) when it is not the delivery's: a hook's
    /// post carries its event's id, the same for every hook and attempt.
    public var webhookID: String?
    /// The provider-approved template to send instead of the text (WhatsApp), when the template names one.
    public var approvedTemplate: ApprovedTemplate?

    public init(
        deliveryID: Int64, address: String, recipientName: String? = nil, subject: String? = nil,
        text: String, html: String? = nil, body: String? = nil, mime: [UInt8]? = nil,
        envelopeFrom: String? = nil, webhookID: String? = nil
    ) {
        self.deliveryID = deliveryID
        self.address = address
        self.recipientName = recipientName
        self.subject = subject
        self.text = text
        self.html = html
        self.body = body
        self.mime = mime
        self.envelopeFrom = envelopeFrom
        self.webhookID = webhookID
    }
}

/// What became of one message handed to a channel.
public enum DeliveryOutcome: Sendable, Equatable {
    /// Accepted by the peer; `providerID` is the gateway's message id when it gives one.
    case sent(providerID: String?)
    /// Try again later (SMTP 4xx, HTTP 429/5xx, connection failure); `retryAfter` in seconds if the peer said.
    case transient(String, retryAfter: Double? = nil)
    /// Never try again (SMTP 5xx, HTTP 4xx); `suppress` marks the address as a hard bounce.
    case permanent(String, suppress: Bool = false)
    /// The endpoint could not be reached at all (connection refused or timed out, DNS, TLS
    /// handshake), or said it is not available (SMTP 421, a gateway's HTTP 502/503: then
    /// `peerAnswered`): not this message's fault. The message waits without spending an attempt,
    /// and the channel is probed until it answers again. A message that alone gets such an answer
    /// while the channel otherwise works is charged as transient (`DeliveryWorker`).
    case unreachable(String, peerAnswered: Bool = false)
}
