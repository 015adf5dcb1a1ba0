import Foundation

/// What a returned message says about one recipient (RFC 3464 Action and Status first, the text second).
public enum BounceKind: String, Sendable, CaseIterable, Equatable {
    /// Will never arrive (5.x.x but mailbox-full and policy cases).
    case hard
    /// Did not arrive this time (4.x.x, a full mailbox).
    case soft
    /// `Action: delayed`: a warning that the relay still tries; never a bounce.
    case delayed
    /// An ARF feedback report (RFC 5965): the person marked the mail as spam.
    case complaint
    /// An out-of-office or other automatic reply (RFC 3834): not a bounce.
    case autoReply = "auto-reply"
    /// A report that names a recipient but not what happened.
    case unknown
}

/// One recipient's result in a parsed bounce, complaint or auto-reply.
public struct BounceResult: Sendable, Equatable {
    /// The address the report names (Final-Recipient, else Original-Recipient, else the text's), lowercased
    /// domain; nil when the message names none.
    public var recipient: String?
    public var kind: BounceKind
    /// The enhanced status code (`5.1.1`), when there is one.
    public var status: String?
    /// The remote server's words (`smtp; 550 5.1.1 <a@example.org>: user unknown`), one line.
    public var diagnostic: String?
    /// Our delivery, when the message could be attributed (a verified VERP token, the returned
    /// `X-Outreach-Delivery` header or Message-ID); nil when it could not.
    public var delivery: Int64?

    public init(
        recipient: String?, kind: BounceKind, status: String? = nil, diagnostic: String? = nil, delivery: Int64? = nil
    ) {
        self.recipient = recipient
        self.kind = kind
        self.status = status
        self.diagnostic = diagnostic
        self.delivery = delivery
    }
}

/// What one returned message says: a result per recipient (every DSN block, not only the first).
/// An empty `results` means the message is not a bounce, a complaint or an auto-reply at all.
public struct BounceReport: Sendable, Equatable {
    public var results: [BounceResult]

    public init(results: [BounceResult]) {
        self.results = results
    }
}

/// What `BounceSink.ingest` did with one raw message.
public enum BounceIngestOutcome: Sendable, Equatable {
    /// Parsed; its results were applied (auto-replies and delays apply nothing but are recorded).
    case applied(BounceReport)
    /// Parsed, and not a bounce, a complaint or an auto-reply: leave it for a human.
    case notABounce
    /// Could not be parsed; the sentence says why. Nothing was applied.
    case unparseable(String)
}

/// The one pipeline every way in goes through (`bounces ingest`, the IMAP mailbox, provider
/// webhooks): parse, attribute, score, suppress, move the delivery.
public protocol BounceSink: Sendable {
    /// Parses one RFC 5322 message and applies what it reports. Bad input is an outcome, not an error.
    /// - Parameter source: where it came from, for the record and messages (`file bounce.eml`, `IMAP UID 42`).
    /// - Throws: only the store's errors (nothing of the message applied).
    func ingest(message: [UInt8], source: String) throws -> BounceIngestOutcome
    /// Applies results parsed elsewhere (a provider's webhook event).
    /// - Throws: only the store's errors (nothing applied).
    func apply(_ report: BounceReport, source: String) throws
}
