import Foundation

/// An email provider whose event webhook `POST /v1/receipts/email/CHANNEL` takes.
public enum EmailProvider: String, Sendable, CaseIterable {
    case ses, postmark, sendgrid, mailgun
}

/// One webhook request as the endpoint hands it over.
public struct ProviderRequest: Sendable {
    /// Header fields by lower-case name, repeated ones joined with ", ".
    public var headers: [String: String]
    /// The body exactly as received: signatures cover these bytes.
    public var body: [UInt8]

    public init(headers: [String: String], body: [UInt8]) {
        self.headers = headers
        self.body = body
    }
}

/// An email channel's provider event webhook (`provider = "ses" | "postmark" | "sendgrid" |
/// "mailgun"`): checks each request the way that provider signs it, then reads its events as
/// bounce results and delivery receipts. docs/bounces-providers.md.
///
/// Made once per channel at start; it remembers the Mailgun tokens and SNS message ids it has
/// seen (`ReplayGuard`), so it is shared by every request to the channel.
public final class ProviderWebhook: Sendable {
    public let provider: EmailProvider
    /// The channel's name, for the record (`sendgrid webhook on mail`).
    public let channel: String
    let check: Check
    let replay: ReplayGuard

    /// How a provider's requests are authenticated, with what the configuration gave.
    enum Check: Sendable {
        /// SNS signatures checked with the keys of `sns_certificate_file`; the topic when `sns_topic_arn` is set.
        case ses(certificates: [PublicKey], topic: String?)
        /// SendGrid's ECDSA signature, with its public key.
        case sendgrid(PublicKey)
        /// Mailgun's HMAC-SHA256 of timestamp and token, with the webhook signing key.
        case mailgun(signingKey: [UInt8])
        /// Postmark's HTTP basic auth: SHA-256 of `user:password`, compared in constant time.
        case postmark(credentialsHash: [UInt8])
    }

    /// Seconds a Mailgun timestamp may be from now; its tokens are remembered this long.
    public static let mailgunWindow: Int64 = 15 * 60
    /// Seconds an SNS Timestamp may be from now: SNS retries a message for at most an hour.
    public static let snsWindow: Int64 = 60 * 60

    init(provider: EmailProvider, channel: String, check: Check) {
        self.provider = provider
        self.channel = channel
        self.check = check
        replay = ReplayGuard(window: provider == .ses ? Self.snsWindow : Self.mailgunWindow)
    }

    /// Authenticates `request` and reads its events; `now` in milliseconds since 1970.
    /// - Throws: why it was refused (401 unsigned, 403 forged or replayed, 400 malformed); nothing was applied.
    public func events(_ request: ProviderRequest, now: Int64) throws(ProviderWebhookError) -> ProviderEvents {
        switch check {
        case .ses(let certificates, let topic):
            return try Receipts.sesEvents(
                request.body, certificates: certificates, topic: topic, replay: replay, now: now / 1000)
        case .sendgrid(let key):
            return try Receipts.sendGridEvents(request, key: key)
        case .mailgun(let key):
            return try Receipts.mailgunEvents(request.body, signingKey: key, replay: replay, now: now / 1000)
        case .postmark(let hash):
            return try Receipts.postmarkEvents(request, credentialsHash: hash)
        }
    }

    /// Hands each event's bounce results to the pipeline, as from `PROVIDER webhook on CHANNEL,
    /// event ID`, and records the deliveries. A duplicate applies nothing.
    /// - Throws: the store's errors.
    public func apply(_ events: ProviderEvents, sink: any BounceSink, queue: any DeliveryQueue, now: Int64) throws
        -> ProviderOutcome
    {
        var out = ProviderOutcome(ignored: events.ignored, duplicate: events.duplicate)
        guard !events.duplicate else { return out }
        for event in events.bounces where !event.report.results.isEmpty {
            let source = "\(provider.rawValue) webhook on \(channel)" + (event.id.map { ", event " + $0 } ?? "")
            try sink.apply(event.report, source: source)
            out.bounces += event.report.results.count
        }
        for r in events.delivered {
            if r.deliveryID != nil, try queue.recordReceipt(r, channel: channel, now: now) != nil {
                out.delivered += 1
            } else {
                out.unmatched += 1
            }
        }
        return out
    }
}
