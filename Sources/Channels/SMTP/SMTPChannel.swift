import CCurl
import Foundation
import Outreach
import Synchronization

/// Email through an SMTP relay with libcurl: one long-lived multi handle, up to `max_connections`
/// connections reused across messages and batches, STARTTLS required (never CURLUSESSL_TRY, which
/// would fall back to plaintext), AUTH, DKIM signing when configured.
public final class SMTPChannel: Channel {
    public let name: String
    public var kind: ChannelKind { .email }
    let settings: SMTPSettings
    let signer: DKIMSigner?
    let state: Mutex<CurlMulti>
    let limiter: Mutex<RateLimiter>

    public init(name: String, section: ConfigSection, config: Config) throws {
        self.name = name
        settings = try SMTPSettings(section: section)
        signer = try DKIMSigner(section: section)
        state = Mutex(CurlMulti(maxConnections: settings.maxConnections))
        limiter = Mutex(RateLimiter(perSecond: settings.rate))
        _ = SMTPChannel.globalInit
    }

    public var batchSize: Int { settings.maxConnections * 64 }
    /// The rate is kept across the connections by the channel's own limiter.
    public var pacesItself: Bool { true }
    public var inFlightLimit: Int? { settings.maxConnections }

    public func send(_ batch: [OutgoingMessage]) -> [DeliveryOutcome] {
        var prepared: [SMTPMessage] = []
        var outcomes = [DeliveryOutcome?](repeating: nil, count: batch.count)
        for (i, m) in batch.enumerated() {
            guard var bytes = m.mime else {
                outcomes[i] = .permanent("the message has no MIME body")
                continue
            }
            if let signer {
                do { bytes = try signer.sign(bytes) } catch {
                    outcomes[i] = .transient("DKIM signing failed: \(error)")
                    continue
                }
            }
            prepared.append(SMTPMessage(index: i, from: m.envelopeFrom ?? "", to: m.address, bytes: bytes))
        }
        var start = 0
        while start < prepared.count {
            // The rate limit releases messages in slices; each slice goes out over the open connections.
            let n = limiter.withLock { $0.take(max: prepared.count - start) }
            let slice = Array(prepared[start..<start + n])
            let settings = self.settings
            let results = state.withLock { multi in
                multi.run(
                    slice.enumerated().map { SMTPTransfer(slot: $0.offset, message: $0.element, settings: settings) })
            }
            for (msg, r) in zip(slice, results) { outcomes[msg.index] = r }
            start += n
        }
        return outcomes.map { $0! }
    }

    public func close() {
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
}
