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
                "\(a) is suppressed because \(Self.said(reason)) on \(WallClock.rfc3339(since)); a no is final: only "
                + "their own opt-in lifts it (a sign-up they confirm by the link mailed to them), not an officer."
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

/// Who lifts a suppression. An officer (`outreachd suppressions remove`) lifts a bounce or a manual
/// suppression (the mailbox was fixed), with a logged reason. A person's own no (complaint,
/// unsubscribed, stop, erased) is never the officer's to lift, whatever they say the person asked:
/// only the person's own opt-in — a sign-up confirmed by the link mailed to them (`liftByOptIn`) —
/// lifts a complaint or an unsubscribe from all mail. Lifting a bounce also starts its score again
/// from 0. A complaint's list unsubscribes stay: lists are rejoined one by one.
public enum SuppressionLift {
    /// Whether `reason` is the person's own no.
    public static func isTheirNo(_ reason: SuppressionReason) -> Bool {
        reason.strength >= SuppressionReason.complaint.strength || reason == .unsubscribed
    }

    /// The officer's removal, in one transaction, logged.
    /// - Parameter note: the officer's reason, logged.
    /// - Returns: the removal as logged.
    /// - Throws: `SuppressionLiftError`, changing nothing.
    public static func remove(address: String, note: String, store: any BounceStore, now: Int64) throws
        -> SuppressionRemoval
    {
        let note = note.trimmingSpaces
        guard !note.isEmpty else { throw SuppressionLiftError.noReason(address) }
        let address = address.lowercasedIfEmail
        return try store.applyBounces { ledger in
            guard let entry = try ledger.suppressionEntry(address: address) else {
                throw SuppressionLiftError.notSuppressed(address)
            }
            if isTheirNo(entry.reason) {
                throw SuppressionLiftError.theirNo(address: address, reason: entry.reason, since: entry.since)
            }
            return try lift(entry, address: address, note: note, atTheirRequest: false, ledger: ledger, now: now)
        }
    }

    /// The person's own opt-in: a sign-up they confirmed by a link issued at `issuedAt` lifts a
    /// complaint or an unsubscribe from all mail recorded before the link was issued (an older link
    /// replayed after the no lifts nothing). A bounce, STOP or erasure stays.
    /// - Returns: the removal as logged, or nil when nothing was lifted.
    @discardableResult
    public static func liftByOptIn(
        address: String, issuedAt: Int64, note: String, joined list: String, contactID: Int64?,
        store: any BounceStore, now: Int64
    ) throws -> SuppressionRemoval? {
        let address = address.lowercasedIfEmail
        return try store.applyBounces { ledger in
            guard let entry = try ledger.suppressionEntry(address: address),
                entry.reason == .complaint || entry.reason == .unsubscribed, entry.since < issuedAt
            else { return nil }
            // Their no covered every list; their yes covers only `list`. A one-click "no more mail"
            // left their memberships as they were, so without this the lift would bring every other
            // list back: they are rejoined one by one, each by its own opt-in.
            _ = try ledger.unsubscribeEverywhere(
                address: address, contactID: contactID,
                consent: Consent(
                    source: "\(entry.reason.rawValue) before opting in to \(list)", evidence: entry.detail),
                except: list)
            return try lift(entry, address: address, note: note, atTheirRequest: true, ledger: ledger, now: now)
        }
    }

    static func lift(
        _ entry: SuppressionEntry, address: String, note: String, atTheirRequest: Bool, ledger: any BounceLedger,
        now: Int64
    ) throws -> SuppressionRemoval {
        let removal = SuppressionRemoval(
            address: address, reason: entry.reason, detail: entry.detail, note: note,
            atTheirRequest: atTheirRequest, at: now)
        try ledger.removeSuppression(removal)
        try ledger.setScore(nil, address: removal.address)
        return removal
    }
}

extension String {
    /// An email lowercased (suppressions match emails case-insensitively); a phone number as is.
    var lowercasedIfEmail: String { utf8.contains(UInt8(ascii: "@")) ? lowercased() : self }
}
