/// What one result of a bounce report did.
public struct BounceApplied: Sendable, Equatable {
    public var result: BounceResult
    /// The address it was counted against: the delivery's when attributed, else the report's recipient.
    public var address: String?
    /// The delivery it was attributed to (by the report, else by its recipient); nil when none.
    public var delivery: Int64?
    public var action: BounceAction
    /// The address's score after it (hard and soft bounces of a delivery of ours).
    public var score: Double?
    /// The lists a complaint unsubscribed the person from.
    public var listsLeft: [String] = []

    public var json: JSON {
        var o: [String: JSON] = [
            "recipient": result.recipient.map { .string($0) } ?? .null, "kind": .string(result.kind.rawValue),
            "status": result.status.map { .string($0) } ?? .null,
            "diagnostic": result.diagnostic.map { .string($0) } ?? .null,
            "delivery": delivery.map { JSON(Int($0)) } ?? .null, "address": address.map { .string($0) } ?? .null,
            "action": .string(action.rawValue),
        ]
        if let score { o["score"] = .number(String(score)) }
        if !listsLeft.isEmpty { o["lists_left"] = .array(listsLeft.map { .string($0) }) }
        return .object(o)
    }
}

/// The rules of a bounce (docs/bounces-pipeline.md, "What a bounce does"), applied step by step
/// through a `BounceLedger`, so every backend and every way in (a DSN, a provider's event, a 5xx
/// during the SMTP session) does the same.
public enum BounceRules {
    /// States a bounce may move a delivery out of: it was handed to the relay. A bounce naming a
    /// queued, failed, cancelled, dead or suppressed delivery never resurrects or changes it.
    static let bounceable: Set<DeliveryState> = [.sent, .delivered]
    /// A complaint says the mail arrived, so it also corrects an earlier bounce of the delivery.
    static let complainable: Set<DeliveryState> = [.sent, .delivered, .bounced]

    /// Applies one result.
    /// - Parameters:
    ///   - origin: what the result came in (a message's SHA-256, a provider's event id): with the
    ///     result, the key of an unattributed record, so the same message ingested twice is a repeat.
    ///   - source: where it came from, recorded (`file bounce.eml`).
    public static func apply(
        _ r: BounceResult, origin: String, source: String, ledger: any BounceLedger, policy: BouncePolicy, now: Int64
    ) throws -> BounceApplied {
        let delivery = try attribute(r, ledger: ledger, policy: policy, now: now)
        var out = BounceApplied(
            result: r, address: delivery.map { $0.address.lowercasedIfEmail } ?? r.recipient.map(\.lowercasedIfEmail),
            delivery: delivery?.id, action: .recorded)
        let key = delivery.map { "d:\($0.id):\(r.kind.rawValue)" } ?? unattributedKey(r, origin: origin)
        if try ledger.hasBounce(key: key) {
            out.action = .duplicate
            return out
        }
        var record = BounceRecord(
            at: now, address: out.address, kind: r.kind, status: r.status, diagnostic: r.diagnostic,
            delivery: delivery?.id, source: source, action: .recorded, key: key)
        let entry = try out.address.map { try ledger.suppressionEntry(address: $0) } ?? nil
        if entry?.reason == .erased {
            // The person asked to be forgotten: their address is not written down again.
            record.address = nil
            record.diagnostic = nil
            out.address = nil
            out.action = delivery == nil ? .unattributed : .alreadySuppressed
        } else if let delivery, let address = out.address {
            switch r.kind {
            case .hard, .soft:
                try bounce(r, delivery: delivery, address: address, entry: entry, ledger, policy, now, &out)
            case .complaint:
                try complain(r, delivery: delivery, address: address, entry: entry, source: source, ledger, now, &out)
            case .delayed, .autoReply, .unknown:
                out.action = .recorded
            }
        } else {
            out.action = .unattributed
        }
        record.action = out.action
        record.score = out.score
        try ledger.insertBounce(record)
        return out
    }

    /// The delivery the report names, if it is an email delivery of ours; else the latest email
    /// sent to the recipient within the attribution window; else nil.
    static func attribute(_ r: BounceResult, ledger: any BounceLedger, policy: BouncePolicy, now: Int64) throws
        -> Delivery?
    {
        if let id = r.delivery, let d = try ledger.delivery(id: id), isEmail(d.address) { return d }
        guard let recipient = r.recipient, isEmail(recipient) else { return nil }
        return try ledger.latestHandedOver(
            to: recipient.lowercasedIfEmail, since: now - policy.attributionWindowMillis)
    }

    static func bounce(
        _ r: BounceResult, delivery: Delivery, address: String, entry: SuppressionEntry?, _ ledger: any BounceLedger,
        _ policy: BouncePolicy, _ now: Int64, _ out: inout BounceApplied
    ) throws {
        let what = describe(r)
        _ = try ledger.settle(delivery: delivery.id, as: .bounced, from: bounceable, error: what, now: now)
        let previous = try ledger.score(address: address)
        let before = previous.map { now - $0.lastAt > policy.staleAfterMillis ? 0 : $0.score } ?? 0
        let score = policy.score(after: previous, address: address, weight: BouncePolicy.weight(r.kind), now: now)
        try ledger.setScore(score, address: address)
        out.score = score.score
        let suppressed = entry.map { $0.reason != .unsubscribed } ?? false
        let atOnce = BouncePolicy.suppressesAtOnce(r.kind, status: r.status)
        if suppressed {
            out.action = .alreadySuppressed
        } else if atOnce || score.score >= policy.threshold {
            let why =
                atOnce
                ? what : "bounce score \(score.score) reached the threshold \(policy.threshold); last: \(what)"
            try ledger.suppress(address: address, reason: .bounce, detail: why)
            out.action = .suppressed
        } else {
            out.action = score.score > before ? .scored : .notCounted
        }
    }

    static func complain(
        _ r: BounceResult, delivery: Delivery, address: String, entry: SuppressionEntry?, source: String,
        _ ledger: any BounceLedger, _ now: Int64, _ out: inout BounceApplied
    ) throws {
        let what = describe(r)
        _ = try ledger.settle(delivery: delivery.id, as: .complained, from: complainable, error: what, now: now)
        let stronger = entry.map { $0.reason.strength >= SuppressionReason.complaint.strength } ?? false
        try ledger.suppress(address: address, reason: .complaint, detail: "\(what) (\(source))")
        out.action = stronger ? .alreadySuppressed : .suppressed
        out.listsLeft = try ledger.unsubscribeEverywhere(
            address: address, contactID: delivery.contactID,
            consent: Consent(source: "complaint", evidence: "\(what) (\(source))"), except: nil)
    }

    /// `hard bounce 5.1.1: smtp; 550 5.1.1 user unknown`: the delivery's last error and the detail.
    static func describe(_ r: BounceResult) -> String {
        let name = r.kind == .complaint ? "complaint" : "\(r.kind.rawValue) bounce"
        let head = r.status.map { "\(name) \($0)" } ?? name
        return r.diagnostic.map { "\(head): \($0)" } ?? head
    }

    static func unattributedKey(_ r: BounceResult, origin: String) -> String {
        let fields = [origin, r.recipient ?? "", r.kind.rawValue, r.status ?? "", r.diagnostic ?? ""]
        return "u:" + Crypto.hex(Crypto.sha256(Array(fields.joined(separator: "\n").utf8)))
    }

    static func isEmail(_ address: String) -> Bool { address.utf8.contains(UInt8(ascii: "@")) }
}

extension SuppressionReason {
    /// How strong a no it is: a stronger reason replaces a weaker one on the list, never the reverse.
    /// `unsubscribed` (list mail only) < `bounce`, `manual` (the officer's) < `complaint`, `stop`
    /// (the person's own no to everything) < `erased`.
    public var strength: Int {
        switch self {
        case .unsubscribed: return 0
        case .bounce, .manual: return 1
        case .complaint, .stop: return 2
        case .erased: return 3
        }
    }
}
