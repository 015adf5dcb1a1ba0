/// Why a suppression was not removed.
public enum SuppressionLiftError: Error, Equatable, CustomStringConvertible {
    case notSuppressed(String)
    case noReason(String)
    /// The person said no (a complaint, an unsubscribe from everything, an SMS STOP, an erasure):
    /// only their own request lifts it.
    case theirNo(address: String, reason: SuppressionReason, since: Int64)

    public var description: String {
        switch self {
        case .notSuppressed(let a): return "\(a) is not on the suppression list."
        case .noReason(let a):
            return
                "Say why \(a) may be mailed again with --reason \"…\" (for example \"the mailbox was fixed\"); "
                + "the removal is logged with it."
        case .theirNo(let a, let reason, let since):
            return
                "\(a) is suppressed because \(Self.said(reason)) on \(WallClock.rfc3339(since)); a no is final: remove it "
                + "only at their own request, with --resubscribe --reason \"how they asked\"."
        }
    }

    static func said(_ r: SuppressionReason) -> String {
        switch r {
        case .complaint: return "they marked a message as spam"
        case .unsubscribed: return "they unsubscribed from all mail"
        case .stop: return "they replied STOP"
        case .erased: return "they asked to be erased"
        case .bounce: return "it bounced"
        case .manual: return "an officer suppressed it"
        }
    }
}

/// An officer's removal of a suppression (`outreachd suppressions remove`). A bounce or a manual
/// suppression is the officer's to lift (the mailbox was fixed), with a reason; a person's own no
/// (complaint, unsubscribed, stop, erased) only at their own request, recorded as such — the rule of
/// `MembershipDecision` for memberships. Lifting a bounce also starts its score again from 0.
/// A complaint's list unsubscribes stay: `lists subscribe --resubscribe` is their own decision.
public enum SuppressionLift {
    /// Whether `reason` is the person's own no.
    public static func isTheirNo(_ reason: SuppressionReason) -> Bool {
        reason.strength >= SuppressionReason.complaint.strength || reason == .unsubscribed
    }

    /// Removes the suppression in one transaction and logs it.
    /// - Parameters:
    ///   - note: the officer's reason, logged.
    ///   - atTheirRequest: the person asked to be mailed again (`--resubscribe`).
    /// - Returns: the removal as logged.
    /// - Throws: `SuppressionLiftError`, changing nothing.
    public static func remove(
        address: String, note: String, atTheirRequest: Bool, store: any BounceStore, now: Int64
    ) throws -> SuppressionRemoval {
        let note = note.trimmingSpaces
        guard !note.isEmpty else { throw SuppressionLiftError.noReason(address) }
        let address = address.lowercasedIfEmail
        return try store.applyBounces { ledger in
            guard let entry = try ledger.suppressionEntry(address: address) else {
                throw SuppressionLiftError.notSuppressed(address)
            }
            if isTheirNo(entry.reason), !atTheirRequest {
                throw SuppressionLiftError.theirNo(address: address, reason: entry.reason, since: entry.since)
            }
            let removal = SuppressionRemoval(
                address: address, reason: entry.reason, detail: entry.detail, note: note,
                atTheirRequest: atTheirRequest, at: now)
            try ledger.removeSuppression(removal)
            try ledger.setScore(nil, address: removal.address)
            return removal
        }
    }
}

extension String {
    /// An email lowercased (suppressions match emails case-insensitively); a phone number as is.
    var lowercasedIfEmail: String { utf8.contains(UInt8(ascii: "@")) ? lowercased() : self }
}
