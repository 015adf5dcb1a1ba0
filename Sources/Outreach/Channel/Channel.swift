/// What a channel carries, which decides the template kind rendered for it.
public enum ChannelKind: String, Sendable {
    case email, sms, chat
}

/// Whom a channel posts to: each recipient, or one shared room per message.
public enum ChannelTarget: String, Sendable {
    case contact, room
}

/// A transport that hands prepared messages to a peer (a folder, an SMTP relay, a webhook, an SMS gateway).
///
/// `send` is synchronous and may block; workers run it on their own threads, several at once.
/// It returns one outcome per message, in order. A channel lives in `Sources/Channels/` and is
/// made by `ChannelFactory` from its `[channels.NAME]` section.
public protocol Channel: AnyObject, Sendable {
    /// The configured name (`[channels.NAME]`), stored on every delivery it carries.
    var name: String { get }
    /// What it carries, which decides the template kind rendered for it.
    var kind: ChannelKind { get }
    /// Each recipient, or one room per message (`RecipientAddress.room`). Default: `.contact`.
    var target: ChannelTarget { get }
    /// How many messages the worker should hand over at once (connections × pipelining). Default: 64.
    var batchSize: Int { get }
    /// For chat channels that post to each contact: the contact attribute holding the address.
    /// Nil (the default): email channels send to the email, SMS to the phone, and a chat channel
    /// only to an address given with the recipient (`RecipientAddress`).
    var addressAttribute: String? { get }
    /// Hands a batch to the peer and waits for its answers. Failures are outcomes, never thrown:
    /// `unreachable` only when the endpoint itself cannot be reached or says it is unavailable.
    /// - Parameter batch: at most `batchSize` rendered messages.
    /// - Returns: exactly one outcome per message, in the order given. A missing outcome is
    ///   recorded as transient and the worker throws `DeliveryWorkerError.wrongOutcomeCount`.
    func send(_ batch: [OutgoingMessage]) -> [DeliveryOutcome]
    /// Releases connections; called at most once, after the last `send` returned (a daemon whose
    /// drain timed out exits without it). Default: nothing.
    func close()
    /// Removes what the channel keeps of these deliveries (an erased person's copies); most keep
    /// nothing (the default).
    /// - Parameter deliveryIDs: the erased person's deliveries on this channel; may be empty.
    func forget(deliveryIDs: [Int64])
    /// Tests once that the endpoint can be reached (connection, TLS, greeting), sending nothing
    /// (`outreachd check --probe`); may block up to the channel's timeouts.
    /// - Returns: nil when it can (the default), else why not, as one sentence.
    func probe() -> String?
    /// How many messages the channel has on the wire at once (its connections), which caps a
    /// batch when `batch_size` is not set: a batch is completed in one transaction after it was
    /// sent, so a crash resends at most a batch. Nil: no cap (a folder).
    var inFlightLimit: Int? { get }
    /// How the gateway's delivery receipts posted to `/v1/receipts/NAME` are authenticated; nil
    /// when the channel takes no receipts.
    var receipts: (any ReceiptCheck)? { get }
    /// An email channel's provider event webhook (`provider` in its section), which
    /// `/v1/receipts/email/NAME` takes; nil (the default) when it has none.
    var providerEvents: ProviderWebhook? { get }
    /// Email channels: where bounces go (`bounce_address`); each message's envelope sender is then
    /// a signed VERP address of it (`bounces+TOKEN@domain`). Nil (the default): `[sender] from`.
    var bounceAddress: String? { get }
}

/// Authenticates a gateway's callback to `/v1/receipts/{channel}`.
public protocol ReceiptCheck: Sendable {
    /// Why the callback must be refused (a sentence for the 401), or nil to accept it.
    /// - Parameters:
    ///   - method: the request's method.
    ///   - query: the URL's query fields.
    ///   - form: the POST body's fields only.
    ///   - signature: the gateway's request signature header, when it sends one.
    func refusal(method: String, query: [String: String], form: [String: String], signature: String?) -> String?
    /// A WhatsApp Cloud API channel's webhook check (JSON bodies, `X-Hub-Signature-256`, the
    /// subscription handshake); nil (the default) for form callbacks.
    var whatsApp: WhatsAppWebhookAuth? { get }
}

extension ReceiptCheck {
    public var whatsApp: WhatsAppWebhookAuth? { nil }
}

extension Channel {
    public var target: ChannelTarget { .contact }
    public var batchSize: Int { 64 }
    public var addressAttribute: String? { nil }
    public func close() {}
    public func forget(deliveryIDs: [Int64]) {}
    public func probe() -> String? { nil }
    public var inFlightLimit: Int? { nil }
    public var receipts: (any ReceiptCheck)? { nil }
    public var providerEvents: ProviderWebhook? { nil }
    public var bounceAddress: String? { nil }
}
