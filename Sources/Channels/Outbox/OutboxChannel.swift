import Foundation
import Outreach

/// Writes each email as an RFC 5322 `.eml` file (SMS and chat as `.txt`) into a folder:
/// the embedded default, so a new user sees exactly what would be sent.
public final class OutboxChannel: Channel {
    public let name: String
    public let kind: ChannelKind
    public let directory: String
    /// An SMS outbox standing in for a gateway (`preset = "kannel"` or `"twilio"`: staging, tests)
    /// takes that gateway's receipts, authenticated as the gateway's would be.
    public let receipts: (any ReceiptCheck)?
    /// An email outbox standing in for a provider's relay (`provider`) takes that provider's
    /// event webhooks, authenticated as the provider's would be.
    public let providerEvents: ProviderWebhook?

    public init(
        name: String, directory: String, kind: ChannelKind = .email, receipts: (any ReceiptCheck)? = nil,
        providerEvents: ProviderWebhook? = nil
    ) {
        self.name = name
        self.directory = directory
        self.kind = kind
        self.receipts = receipts
        self.providerEvents = providerEvents
    }

    /// `[channels.NAME] type = "outbox"`, `dir` relative to the data directory, optional `kind`
    /// and, standing in for an SMS gateway, its `preset` with the receipt settings, or for an
    /// email provider, its `provider` with that provider's keys.
    public convenience init(name: String, section: ConfigSection, config: Config) throws(ConfigError) {
        let dir = try section.string("dir") ?? name
        let kindName = try section.string("kind") ?? "email"
        guard let kind = ChannelKind(rawValue: kindName) else {
            throw section.invalid("kind", "must be email, sms or chat")
        }
        var receipts: SMSReceiptAuth?
        if let preset = try section.string("preset"), [.kannel, .twilio].contains(SMSPreset(rawValue: preset)) {
            receipts = try SMSReceiptAuth(name: name, section: section, publicURL: config.publicURL)
        }
        var providerEvents: ProviderWebhook?
        if kind == .email { providerEvents = try ProviderWebhook.configured(section: section, channel: name) }
        self.init(
            name: name, directory: config.dataPath(dir), kind: kind, receipts: receipts, providerEvents: providerEvents)
    }

    public var batchSize: Int { 256 }

    /// The folder can be created and written.
    public func probe() -> String? {
        do { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) } catch {
            return "cannot create the outbox folder \(directory): \(error.localizedDescription)"
        }
        return access(directory, W_OK) == 0
            ? nil : "cannot write to the outbox folder \(directory): \(String(cString: strerror(errno)))"
    }

    /// The outbox holds every message as sent: an erased person's files go with them.
    public func forget(deliveryIDs: [Int64]) {
        for id in deliveryIDs {
            for ext in ["eml", "txt"] { unlink("\(directory)/\(id).\(ext)") }
        }
    }

    public func send(_ batch: [OutgoingMessage]) -> [DeliveryOutcome] {
        do throws(PrivateFileError) {
            try PrivateFiles.makeDirectory(directory)
        } catch {
            return batch.map { _ in .transient("cannot create the outbox folder: \(error)") }
        }
        return batch.map(write)
    }

    /// Writes to a temporary name, fsyncs, then renames: a crash never leaves half a message,
    /// and a resend after a crash overwrites the same file instead of adding a second one.
    private func write(_ m: OutgoingMessage) -> DeliveryOutcome {
        let ext = m.mime != nil ? "eml" : "txt"
        let final = "\(directory)/\(m.deliveryID).\(ext)"
        let temp = "\(directory)/.\(m.deliveryID).\(ext).tmp"
        let bytes = m.mime ?? Array(((m.address.isEmpty ? "" : "To: \(m.address)\n\n") + m.text).utf8)
        // Owner-only (0600): a message is personal data.
        let fd = PrivateFiles.openForWriting(temp)
        guard fd >= 0 else { return .transient("cannot write \(temp): \(String(cString: strerror(errno)))") }
        var off = 0
        while off < bytes.count {
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + off, bytes.count - off) }
            if n <= 0 {
                let e = String(cString: strerror(errno))
                Glibc.close(fd)
                return .transient("cannot write \(temp): \(e)")
            }
            off += n
        }
        fsync(fd)
        Glibc.close(fd)
        guard rename(temp, final) == 0 else {
            return .transient("cannot rename \(temp): \(String(cString: strerror(errno)))")
        }
        return .sent(providerID: final)
    }
}
