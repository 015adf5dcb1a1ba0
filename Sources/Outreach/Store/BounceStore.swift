/// Bounces, complaints and the suppression list as officers see them, and the one transaction a
/// bounce report is applied in. The rules are `BounceRules`' (the core); a store only offers the
/// steps (`BounceLedger`) and keeps them in one transaction. Besides the errors named, any
/// requirement can throw the backend's own (see `Store`).
public protocol BounceStore: AnyObject, Sendable {
    /// Runs `body` in one write transaction, durable when it returns; nothing of it is kept when
    /// it throws. The ledger must not be used after `body` returns.
    func applyBounces<T: Sendable>(_ body: (any BounceLedger) throws -> T) throws -> T
    /// - Parameters:
    ///   - since: only those recorded at or after this instant (ms); nil for all.
    ///   - address: only those of this address (case-insensitive); nil for all.
    ///   - limit: at most this many, the newest.
    /// - Returns: bounce records, oldest first.
    func bounces(since: Int64?, address: String?, limit: Int) throws -> [BounceRecord]
    /// - Returns: the suppression list (erased people's hashed entries left out), oldest first.
    func suppressions(limit: Int) throws -> [SuppressionEntry]
    /// - Returns: the address's entry (an erased person's hashed one under the address asked), or nil.
    func suppressionEntry(address: String) throws -> SuppressionEntry?
    /// - Returns: the address's bounce score, or nil when it never counted.
    func bounceScore(address: String) throws -> BounceScore?
    /// - Returns: the removals of the address's suppressions, oldest first.
    func suppressionRemovals(address: String) throws -> [SuppressionRemoval]
    /// The list's subscribed members who are suppressed (by reason) and who bounced or complained
    /// at or after `since` (ms). Zeros for an unknown list.
    func deliverability(list: String, since: Int64) throws -> ListDeliverability
}

/// The steps of applying bounces, inside one `BounceStore.applyBounces` transaction.
public protocol BounceLedger {
    /// - Returns: the delivery, or nil when there is none with this id.
    func delivery(id: Int64) throws -> Delivery?
    /// - Returns: the latest delivery to `address` (case-insensitive) handed to its channel
    ///   (sent, delivered, bounced or complained) at or after `since`, or nil.
    func latestHandedOver(to address: String, since: Int64) throws -> Delivery?
    /// Whether a record with this key exists.
    func hasBounce(key: String) throws -> Bool
    func insertBounce(_ record: BounceRecord) throws
    func score(address: String) throws -> BounceScore?
    /// Stores the score (nil removes it: a lifted bounce suppression starts again from 0).
    func setScore(_ score: BounceScore?, address: String) throws
    /// Moves the delivery to `state` with `error` as its last error, only from one of `from`.
    /// - Returns: whether it moved.
    func settle(delivery id: Int64, as state: DeliveryState, from: Set<DeliveryState>, error: String, now: Int64) throws
        -> Bool
    /// `ConsentStore.suppress` in this transaction: records it and cancels the pending deliveries.
    func suppress(address: String, reason: SuppressionReason, detail: String?) throws
    /// - Returns: the address's entry (an erased person's hashed one included), or nil.
    func suppressionEntry(address: String) throws -> SuppressionEntry?
    /// Removes the address's suppression (and an erased person's hashed entry) and logs `removal`.
    func removeSuppression(_ removal: SuppressionRemoval) throws
    /// Unsubscribes, as the person (`ConsentAuthority.person`), every contact with this email (and
    /// `contactID`) from every list they are pending or subscribed on but `except`, cancelling that
    /// list mail.
    /// - Returns: the lists left, by name.
    func unsubscribeEverywhere(address: String, contactID: Int64?, consent: Consent, except: String?) throws
        -> [String]
}
