/// What one ingested message did: the outcome the ways in share, and what each result did.
public struct BounceIngest: Sendable, Equatable {
    public var outcome: BounceIngestOutcome
    public var applied: [BounceApplied]
}

/// The bounce pipeline (`BounceSink`): parse, attribute, score, suppress, move the delivery — every
/// report in one store transaction (`BounceRules` on a `BounceLedger`).
public final class BounceProcessor: BounceSink {
    public typealias Parse = @Sendable ([UInt8]) throws -> BounceReport

    let store: any BounceStore
    let parse: Parse
    public let policy: BouncePolicy
    let clock: any TimeSource

    /// - Parameters:
    ///   - parse: reads one RFC 5322 message (the parser, `BounceParser.parse`); what it throws
    ///     makes the message unparseable.
    public init(
        store: any BounceStore, policy: BouncePolicy, clock: any TimeSource = SystemTime(), parse: @escaping Parse
    ) {
        self.store = store
        self.policy = policy
        self.clock = clock
        self.parse = parse
    }

    public func ingest(message: [UInt8], source: String) throws -> BounceIngestOutcome {
        try process(message: message, source: source).outcome
    }

    public func apply(_ report: BounceReport, source: String) throws {
        _ = try apply(report, origin: source, source: source)
    }

    /// `ingest`, saying what each result did.
    /// - Throws: only the store's errors (nothing of the message applied).
    public func process(message: [UInt8], source: String) throws -> BounceIngest {
        let body = Self.withoutEnvelopeLine(message)
        let report: BounceReport
        do {
            report = try parse(body)
        } catch {
            return BounceIngest(outcome: .unparseable(String(describing: error)), applied: [])
        }
        guard !report.results.isEmpty else { return BounceIngest(outcome: .notABounce, applied: []) }
        // The same bytes ingested again (a pipe retried, a mailbox read twice) are a repeat.
        let origin = "sha256:" + Crypto.hex(Crypto.sha256(body))
        return BounceIngest(outcome: .applied(report), applied: try apply(report, origin: origin, source: source))
    }

    /// Applies a report in one transaction.
    /// - Parameter origin: what makes an unattributed result a repeat (the message's hash, a provider's event id).
    public func apply(_ report: BounceReport, origin: String, source: String) throws -> [BounceApplied] {
        let now = clock.nowMillis()
        let policy = self.policy
        return try store.applyBounces { ledger in
            try report.results.map {
                try BounceRules.apply($0, origin: origin, source: source, ledger: ledger, policy: policy, now: now)
            }
        }
    }

    /// The message without the mbox `From ` line procmail and Postfix's pipe(8) `F` flag put first.
    static func withoutEnvelopeLine(_ m: [UInt8]) -> [UInt8] {
        guard m.starts(with: Array("From ".utf8)), let nl = m.firstIndex(of: 0x0A) else { return m }
        return Array(m[(nl + 1)...])
    }
}
