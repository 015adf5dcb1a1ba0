import Foundation

/// Reads one returned message — an RFC 3464 delivery status notification, an RFC 6533 global one,
/// an RFC 5965 feedback report, a plain-text bounce of qmail, Exim, Sendmail, Exchange, Gmail or
/// Yahoo, or an automatic reply — and says what it reports per recipient (docs/bounces.md).
/// It applies nothing and reads no store: `BounceSink` does that.
public struct BounceParser: Sendable {
    /// The header a message we send carries with its delivery id, read back from returned headers.
    public static let deliveryHeader = "X-Outreach-Delivery"
    /// The most of a message that is read: a report comes before the message it returns, so a
    /// larger one (a returned attachment) is parsed from its first 32 MiB and the rest is dropped.
    public static let maxMessageBytes = 32 << 20

    let verp: VERPToken?

    /// - Parameter verp: checks VERP tokens in the addresses a bounce was sent to; without it
    ///   attribution uses only the returned headers.
    public init(verp: VERPToken? = nil) {
        self.verp = verp
    }

    /// Parses one RFC 5322 message. Throws BounceParseError (a struct with a private code, a sentence) for
    /// input that is not a parsable message at all; a valid message that is not a bounce returns empty results.
    public func parse(_ message: [UInt8]) throws(BounceParseError) -> BounceReport {
        let root = try MIMEEntity.message(
            message.count > Self.maxMessageBytes ? Array(message.prefix(Self.maxMessageBytes)) : message)
        let returned = ReturnedMessage(root: root)
        var results = Self.results(returned)
        guard !results.isEmpty else { return BounceReport(results: []) }
        let delivery = attribute(returned)
        for i in results.indices { results[i].delivery = delivery }
        return BounceReport(results: results)
    }

    /// The first form that recognises the message decides: a feedback report, a delivery status
    /// part, a known plain-text bounce, an automatic reply, then any message that reads like a
    /// bounce (from MAILER-DAEMON, "Undeliverable" subject).
    static func results(_ m: ReturnedMessage) -> [BounceResult] {
        if let report = m.parts.first(where: { $0.contentType.mediaType == "message/feedback-report" }) {
            return FeedbackReport.results(report, returned: m.returnedHeaders)
        }
        var sawStatusPart = false
        var out: [BounceResult] = []
        for part in m.parts where DeliveryStatus.types.contains(part.contentType.mediaType) {
            guard let r = DeliveryStatus.results(part) else { continue }
            sawStatusPart = true
            out += r
        }
        // A DSN that reports only deliveries (Action: delivered, relayed, expanded) is no bounce.
        if sawStatusPart { return out }
        // The text forms only in a message from the mail system: a person quoting a bounce is not one.
        let fromMailSystem = PlainTextBounce.isFromMailSystem(m.root.headers)
        if fromMailSystem, let r = PlainTextBounce.results(m.text) { return r }
        if AutoReply.isAutoReply(m.root.headers) { return [AutoReply.result(m.root.headers)] }
        if PlainTextBounce.looksLikeBounce(m.root.headers) {
            return PlainTextBounce.generic(m.text, headers: m.root.headers, returned: m.returnedHeaders)
        }
        return []
    }
}

/// A parsed message and what the forms share: its parts, its readable text, the original header
/// it returns.
struct ReturnedMessage {
    let root: MIMEEntity
    let parts: [MIMEEntity]
    /// The first readable text (text/plain, else text/html without tags) that is not an attachment.
    let text: BounceText
    /// The header of the returned original (`message/rfc822`, `text/rfc822-headers`, …), if any.
    let returnedHeaders: MessageHeaders?

    init(root: MIMEEntity) {
        self.root = root
        parts = root.allParts
        let isBody = { (p: MIMEEntity) in
            !p.contentType.isMultipart
                && !(p.headers.first("content-disposition")?.lowercased().hasPrefix("attachment") ?? false)
        }
        let text: String
        if let plain = parts.first(where: { isBody($0) && $0.contentType.mediaType == "text/plain" }) {
            text = plain.text
        } else if let html = parts.first(where: { isBody($0) && $0.contentType.mediaType == "text/html" }) {
            text = HTMLText.plain(html.text)
        } else if root.contentType.isMultipart, root.parts.isEmpty {
            // A multipart whose boundary is missing or never occurs: its body is all there is to read.
            text = BodyDecoding.text(root.body, charset: nil)
        } else {
            text = ""
        }
        self.text = BounceText(text)
        returnedHeaders = parts.first { MIMEEntity.embeddedTypes.contains($0.contentType.mediaType) }?.embeddedHeaders
    }
}
