import CCurl
import Foundation
import Outreach
import Synchronization

/// Email through an SMTP relay with libcurl: one long-lived multi handle, up to `max_connections`
/// connections reused across messages and batches, STARTTLS required (never CURLUSESSL_TRY, which
/// would fall back to plaintext), AUTH, DKIM signing when configured.
///
/// With DKIM, a batch is signed on every core (`DKIMSigningPool`) while it is sent: each message
/// goes to a free connection as soon as its signature is made, and the signing of the next batch
/// (the worker's other lane) starts while this one is still on the wire.
public final class SMTPChannel: Channel {
    public let name: String
    public var kind: ChannelKind { .email }
    let settings: SMTPSettings
    let signer: DKIMSigner?
    let signing: DKIMSigningPool?
    let state: Mutex<CurlMulti>
    /// The relay's event webhook, when it is a provider's (`provider = "ses"`, …).
    public let providerEvents: ProviderWebhook?

    public init(name: String, section: ConfigSection, config: Config) throws {
        self.name = name
        settings = try SMTPSettings(section: section)
        providerEvents = try ProviderWebhook.configured(section: section, channel: name)
        signer = try DKIMSigner(section: section)
        signing = signer.map { DKIMSigningPool(signer: $0) }
        state = Mutex(CurlMulti(maxConnections: settings.maxConnections))
        _ = SMTPChannel.globalInit
    }

    public var batchSize: Int { settings.maxConnections * 64 }
    public var inFlightLimit: Int? { settings.maxConnections }
    public var bounceAddress: String? { settings.bounceAddress }

    public func send(_ batch: [OutgoingMessage]) -> [DeliveryOutcome] {
        var outcomes = [DeliveryOutcome?](repeating: nil, count: batch.count)
        var messages: [SMTPMessage] = []
        for (i, m) in batch.enumerated() {
            guard let bytes = m.mime else {
                outcomes[i] = .permanent("the message has no MIME body")
                continue
            }
            // A provider's relay is told our delivery id in its own header, so its events echo it.
            let metadata = providerEvents?.provider.metadataHeader(deliveryID: m.deliveryID) ?? []
            messages.append(
                SMTPMessage(index: i, from: m.envelopeFrom ?? "", to: m.address, bytes: bytes, header: metadata))
        }
        // Signing starts before this lane may have the connections: the other lane may be sending.
        let pending = PendingBatch(messages, signed: signing?.sign(messages.map(\.bytes)), outcomes: outcomes)
        let settings = self.settings
        state.withLock { multi in
            pending.signed?.onReady(multi.wakeup().callAsFunction)
            defer { pending.signed?.onReady(nil) }
            multi.run(
                next: { pending.next().map { SMTPTransfer(message: $0, settings: settings) } },
                done: pending.record)
        }
        return pending.outcomes()
    }

    public func close() {
        signing?.stop()
        state.withLock { $0.destroy() }
    }

    private static let globalInit: Void = { _ = curl_global_init(Int(CURL_GLOBAL_ALL)) }()
}

/// One message as the transfer needs it.
struct SMTPMessage: Sendable {
    var index: Int
    var from: String
    var to: String
    var bytes: [UInt8]
    /// Header fields sent before `bytes` (so the message is not copied to add them): the
    /// provider's metadata field, and the DKIM-Signature in front of it once signed.
    var header: [UInt8] = []
}

/// One batch on its way out: its messages in the order they are ready (signed, with DKIM), and
/// their outcomes. Used by the thread that sends the batch; the lock is what lets libcurl's loop
/// (which runs under the channel's own lock) call back into it.
final class PendingBatch: Sendable {
    let signed: DKIMSignedBatch?
    private let state: Mutex<State>

    struct State {
        var messages: [SMTPMessage]
        var outcomes: [DeliveryOutcome?]
        /// How many messages were handed to the connections or failed to sign.
        var taken = 0
        /// The batch index of each message, in the order they were handed over.
        var handed: [Int] = []
    }

    init(_ messages: [SMTPMessage], signed: DKIMSignedBatch?, outcomes: [DeliveryOutcome?]) {
        self.signed = signed
        state = Mutex(State(messages: messages, outcomes: outcomes))
    }

    /// The next message ready to go: in order, or with DKIM in the order they are signed.
    func next() -> CurlFeed<SMTPMessage> {
        let signed = self.signed
        return state.withLock { s in
            guard let signed else {
                guard s.taken < s.messages.count else { return .exhausted }
                s.taken += 1
                s.handed.append(s.messages[s.taken - 1].index)
                return .ready(s.messages[s.taken - 1])
            }
            while true {
                switch signed.next() {
                case .signed(let k, let header):
                    s.taken += 1
                    // The batch's copy of the message is not needed any more: the transfer has it.
                    var m = s.messages[k]
                    s.messages[k].bytes = []
                    m.header = header + m.header
                    s.handed.append(m.index)
                    return .ready(m)
                case .failed(let k, let error):
                    s.taken += 1
                    s.outcomes[s.messages[k].index] = .transient("DKIM signing failed: \(error)")
                case .later: return .later
                case .finished: return .exhausted
                }
            }
        }
    }

    /// The outcome of the `order`th message handed over.
    func record(_ order: Int, _ outcome: DeliveryOutcome) {
        state.withLock { $0.outcomes[$0.handed[order]] = outcome }
    }

    func outcomes() -> [DeliveryOutcome] { state.withLock { $0.outcomes.map { $0! } } }
}

extension CurlFeed {
    func map<U>(_ f: (T) -> U) -> CurlFeed<U> {
        switch self {
        case .ready(let t): return .ready(f(t))
        case .later: return .later
        case .exhausted: return .exhausted
        }
    }
}
