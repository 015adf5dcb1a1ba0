/// What one bounce result did (`bounces.action`).
public enum BounceAction: String, Sendable, Equatable, CaseIterable {
    /// The address was suppressed now (a definite bad mailbox, the score reached the threshold, a complaint).
    case suppressed
    /// The address was already suppressed; the score was kept up to date.
    case alreadySuppressed = "already-suppressed"
    /// Counted in the address's score, below the threshold.
    case scored
    /// A hard or soft bounce on a day that already counted as much.
    case notCounted = "not-counted"
    /// Recorded only: a delay warning, an auto-reply, a report that says nothing.
    case recorded
    /// No delivery of ours matches: recorded only (backscatter of forged mail looks like this).
    case unattributed
    /// Seen before (the same delivery and kind, or the same message): nothing done, nothing recorded.
    case duplicate
}

/// One recorded bounce, complaint, delay or auto-reply (`outreachd bounces list`).
public struct BounceRecord: Sendable, Equatable {
    public var id: Int64?
    public var at: Int64
    /// The delivery's address when attributed, else the report's recipient; nil when it names none
    /// (or names an erased person).
    public var address: String?
    public var kind: BounceKind
    public var status: String?
    public var diagnostic: String?
    /// The delivery it was attributed to; nil when unattributed.
    public var delivery: Int64?
    /// Where it came from: `file bounce.eml`, `stdin`, `IMAP UID 42`, `SMTP session`, a provider's event.
    public var source: String
    public var action: BounceAction
    /// The address's score after it (hard and soft bounces only).
    public var score: Double?
    /// What makes it a repeat (`BounceRules.key`); unique among records.
    public var key: String

    public init(
        id: Int64? = nil, at: Int64, address: String?, kind: BounceKind, status: String?, diagnostic: String?,
        delivery: Int64?, source: String, action: BounceAction, score: Double? = nil, key: String
    ) {
        self.id = id
        self.at = at
        self.address = address
        self.kind = kind
        self.status = status
        self.diagnostic = diagnostic
        self.delivery = delivery
        self.source = source
        self.action = action
        self.score = score
        self.key = key
    }

    public var json: JSON {
        var o: [String: JSON] = [
            "at": .string(WallClock.rfc3339(at)), "kind": .string(kind.rawValue), "source": .string(source),
            "action": .string(action.rawValue),
        ]
        if let id { o["id"] = JSON(Int(id)) }
        o["address"] = address.map { .string($0) } ?? .null
        o["delivery"] = delivery.map { JSON(Int($0)) } ?? .null
        if let status { o["status"] = .string(status) }
        if let diagnostic { o["diagnostic"] = .string(diagnostic) }
        if let score { o["score"] = .number(String(score)) }
        return .object(o)
    }
}

/// An address on the suppression list, as the officer sees it.
public struct SuppressionEntry: Sendable, Equatable {
    public var address: String
    public var reason: SuppressionReason
    public var detail: String?
    /// When it was suppressed (ms).
    public var since: Int64

    public init(address: String, reason: SuppressionReason, detail: String?, since: Int64) {
        self.address = address
        self.reason = reason
        self.detail = detail
        self.since = since
    }

    public var json: JSON {
        var o: [String: JSON] = [
            "address": .string(address), "reason": .string(reason.rawValue), "since": .string(WallClock.rfc3339(since)),
        ]
        if let detail { o["detail"] = .string(detail) }
        return .object(o)
    }
}

/// A suppression an officer removed (`suppression_removals`): kept, never rewritten.
public struct SuppressionRemoval: Sendable, Equatable {
    public var address: String
    /// The reason the address had been suppressed for, and its detail.
    public var reason: SuppressionReason
    public var detail: String?
    /// The officer's words (`--reason`).
    public var note: String
    /// Whether it was lifted at the person's own request (`--resubscribe`).
    public var atTheirRequest: Bool
    public var at: Int64

    public init(
        address: String, reason: SuppressionReason, detail: String?, note: String, atTheirRequest: Bool, at: Int64
    ) {
        self.address = address
        self.reason = reason
        self.detail = detail
        self.note = note
        self.atTheirRequest = atTheirRequest
        self.at = at
    }

    public var json: JSON {
        var o: [String: JSON] = [
            "address": .string(address), "reason": .string(reason.rawValue), "note": .string(note),
            "at_their_request": .bool(atTheirRequest), "at": .string(WallClock.rfc3339(at)),
        ]
        if let detail { o["detail"] = .string(detail) }
        return .object(o)
    }
}

/// What `contacts export` shows of the bounce tables, the same for every backend.
public enum BounceExport {
    /// `bounces`, `bounce_scores` and `suppression_removals` of a person's addresses.
    /// - Parameters:
    ///   - addresses: the person's addresses, normalized.
    ///   - score: an address's score, or nil; `removals`: an address's suppression removals.
    public static func json(
        bounces: [BounceRecord], addresses: [String], score: (String) throws -> BounceScore?,
        removals: (String) throws -> [SuppressionRemoval]
    ) rethrows -> [String: JSON] {
        var scores: [JSON] = []
        var lifted: [JSON] = []
        for a in addresses {
            if let s = try score(a) {
                scores.append([
                    "address": .string(a), "score": .number(String(s.score)),
                    "last": .string(WallClock.rfc3339(s.lastAt)),
                ])
            }
            lifted += try removals(a).map(\.json)
        }
        return [
            "bounces": .array(bounces.map(\.json)), "bounce_scores": .array(scores),
            "suppression_removals": .array(lifted),
        ]
    }
}
