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
/// `send` is synchronous and may block; workers run it on their own threads. It returns one
/// outcome per message, in order.
public protocol Channel: AnyObject, Sendable {
    var name: String { get }
    var kind: ChannelKind { get }
    var target: ChannelTarget { get }
    /// How many messages the worker should hand over at once (connections × pipelining).
    var batchSize: Int { get }
    /// For chat channels that post to each contact: the contact attribute holding the address.
    var addressAttribute: String? { get }
    func send(_ batch: [OutgoingMessage]) -> [DeliveryOutcome]
    /// Releases connections; called once when the worker stops.
    func close()
    /// Removes what the channel keeps of these deliveries (an erased person's copies); most keep nothing.
    func forget(deliveryIDs: [Int64])
    /// Tests once that the endpoint can be reached (connection, TLS, greeting), sending nothing.
    /// - Returns: nil when it can, else why not, as one sentence.
    func probe() -> String?
    /// True when the channel keeps its configured `rate` itself (SMTP spreads it over its
    /// connections); otherwise the pipeline paces the channel's batches (`PacedChannel`).
    var pacesItself: Bool { get }
    /// How many messages the channel has on the wire at once (its connections), which caps a
    /// batch when `batch_size` is not set: a batch is completed in one transaction after it was
    /// sent, so a crash resends at most a batch. Nil: no cap (a folder).
    var inFlightLimit: Int? { get }
    /// How the gateway's delivery receipts posted to `/v1/receipts/NAME` are authenticated; nil
    /// when the channel takes no receipts.
    var receipts: (any ReceiptCheck)? { get }
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
}

extension Channel {
    public var target: ChannelTarget { .contact }
    public var batchSize: Int { 64 }
    public var addressAttribute: String? { nil }
    public func close() {}
    public func forget(deliveryIDs: [Int64]) {}
    public func probe() -> String? { nil }
    public var pacesItself: Bool { false }
    public var inFlightLimit: Int? { nil }
    public var receipts: (any ReceiptCheck)? { nil }
}
