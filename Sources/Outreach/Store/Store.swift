/// The durable store behind the CLI and the daemon: one protocol per concern, and `Store` all of
/// them. SQLite (`Store/SQLite/`) and PostgreSQL (`Store/Postgres/`) implement it; nothing else names a concrete store but the
/// composition root, and `StoreConformanceTests` holds every implementation to the same promises.
///
/// Every requirement may be called from any thread; writes are serialised. Besides the errors each
/// names, any requirement can throw the backend's own: `StorageUnavailable(error)` is non-nil when
/// the disk would not take a write (nothing of it kept; the same call can succeed later).
public protocol Store:
    ContactStore, ConsentStore, DeliveryQueue, CampaignStore, CampaignRunStore, EventStore, HookOutbox, BounceStore,
    NodeRegistry, DutyLeadership, SendPacing, WorkNotifications
{
    /// Checks that the database answers, waiting at most about `timeoutMillis` (`/healthz`).
    /// A server (PostgreSQL) is asked `SELECT 1` on a connection of its own; a file (SQLite)
    /// has nothing to reach and returns at once (its disk is `probeWrite`'s).
    /// - Throws: the backend's error when it does not answer.
    func checkReachable(timeoutMillis: Int) throws
}

/// The delivery queue: durable enqueue (group commit, idempotency keys), leased claims, outcomes.
/// Every write is one transaction: what it writes is on disk when it returns (but for
/// `enqueueBatchUnsynced`), and nothing of it when it throws. Times are ms since 1970.
public protocol DeliveryQueue: AnyObject, Sendable {
    /// Stores a message and its deliveries in one transaction, on disk when it returns. A delivery
    /// to a suppressed address is stored as `suppressed` (transactional mail ignores only
    /// `unsubscribed`); one a message already has on that channel and address is skipped.
    /// - Parameters:
    ///   - message: stored, or, when its `id` is set, the stored message the deliveries are added to.
    ///   - deliveries: each due at its `notBefore`, or now.
    ///   - idempotency: with a key, a repeat with the same request hash returns the first result.
    /// - Returns: the message's id, the new deliveries' ids and how many were inserted; for a
    ///   repeat, the first's ids with `replayed` set.
    /// - Throws: `StoreError.idempotencyConflict` when the key came with another request hash.
    func enqueue(_ message: Message, deliveries: [NewDelivery], idempotency: IdempotencyKey?) throws -> EnqueueResult
    /// Many enqueues in one transaction (group commit), on disk when it returns. A request that
    /// fails (an idempotency conflict, a bad row) fails alone; the others are stored.
    /// - Returns: one result per request, in order.
    /// - Throws: only when the transaction as a whole fails; then none is stored.
    func enqueueBatch(_ requests: [EnqueueRequest]) throws -> [Result<EnqueueResult, any Error>]
    /// `enqueueBatch` committed but not yet flushed to disk: durable only after `syncCommitted()`.
    /// Lets a group committer build the next transaction while the disk flushes the last one.
    /// What it commits is visible to every reader at once; answer no one before the flush.
    func enqueueBatchUnsynced(_ requests: [EnqueueRequest]) throws -> [Result<EnqueueResult, any Error>]
    /// Flushes every commit made so far to disk; returns when they are durable.
    /// - Throws: `StoreError.syncFailed` when the flush fails (the commits may or may not be on disk).
    func syncCommitted() throws
    /// Leases up to `limit` due deliveries (queued/failed past their time, or sending with an expired
    /// lease), in one transaction. First, scheduled campaigns whose time has come start — one created
    /// with a time and never started fans out then, with the list as it is then, and becomes a draft
    /// again if it reaches nobody; one far past its time is paused instead — and consent is checked again: a delivery whose person left the
    /// list, was suppressed or erased, or whose campaign is paused or cancelled, is cancelled and
    /// not returned. Each leased delivery's attempt is counted.
    /// - Parameters:
    ///   - channels: only deliveries of these channels; nil for every channel.
    ///   - owner: who holds the leases (`LeaseOwner`); `complete`, `reschedule` and `release` must name it.
    ///   - leaseMillis: how long the lease lasts; after it another worker may claim the delivery.
    ///   - now: the current instant.
    /// - Returns: the leased deliveries, each with its message and contact (nil for an ad-hoc
    ///   recipient); empty when nothing is due.
    func claim(channels: [String]?, limit: Int, owner: String, leaseMillis: Int64, now: Int64) throws
        -> [ClaimedDelivery]
    /// Records outcomes for leased deliveries in one transaction; a delivery `owner` no longer
    /// leases (another took it over after the lease expired) is left alone. `sent` → sent; `transient` →
    /// failed, due at `retryAt`; `unreachable` → due at `retryAt`, the attempt given back;
    /// `permanent`, or a nil `retryAt` → dead. A permanent outcome with `suppress` (a refused
    /// recipient) is also a bounce: for an email address it goes through `BounceRules` in the same
    /// transaction (recorded, scored, suppressed at once on a definite bad mailbox: docs/bounces-pipeline.md);
    /// a phone number is suppressed at once.
    func complete(_ results: [DeliveryResult], owner: String, now: Int64) throws
    /// Gives leased deliveries back untouched (graceful shutdown): due as before, the attempt given
    /// back. Leases not held by `owner` are left alone.
    func release(ids: [Int64], owner: String) throws
    /// - Parameter messageID: one message's deliveries; nil for the whole queue.
    /// - Returns: how many deliveries are in each state (states with none are absent).
    func queueCounts(messageID: Int64?) throws -> [DeliveryState: Int]
    /// The queued and failed deliveries of the whole queue, split into those due at `now` and
    /// those due later, with the earliest later instant.
    func pendingByDue(now: Int64) throws -> PendingByDue
    /// Records that a channel's endpoint is down (or, with nil, up again), for every process to see.
    /// A channel already down keeps its earliest `since`.
    func setChannelOutage(_ channel: String, _ outage: ChannelAvailability.Outage?) throws
    /// The channels recorded as down, by any process (their `failures` is not stored: 0).
    func channelOutages() throws -> [String: ChannelAvailability.Outage]
    /// Cancelled deliveries by why they were cancelled (of one message, or of the whole queue with
    /// nil); one cancelled without a reason counts as `manual`.
    func cancelReasons(messageID: Int64?) throws -> [CancelReason: Int]
    /// - Parameters:
    ///   - state: only deliveries in this state; nil for any.
    ///   - messageID: only this message's; nil for any.
    ///   - limit: at most this many.
    /// - Returns: deliveries in id order.
    func deliveries(state: DeliveryState?, messageID: Int64?, limit: Int) throws -> [Delivery]
    /// - Returns: the delivery, or nil when there is none with this id.
    func delivery(id: Int64) throws -> Delivery?
    /// - Returns: the message (its template, data, campaign and event), or nil when there is none
    ///   with this id.
    func message(id: Int64) throws -> Message?
    /// Puts dead or failed deliveries back in the queue, due at `now` with their attempts reset.
    /// - Parameter ids: the deliveries to retry (others are skipped); nil for every dead or failed one.
    /// - Returns: how many were put back.
    func retry(ids: [Int64]?, now: Int64) throws -> Int
    /// Cancels queued or failed deliveries (reason `manual`); others are skipped.
    /// - Returns: how many were cancelled.
    func cancel(ids: [Int64]) throws -> Int
    /// Gives leased deliveries back to be tried at a later instant without counting the attempt
    /// (quiet hours: nothing was sent); a lease that was lost is left alone.
    /// - Parameters:
    ///   - deferrals: each delivery and when it is due again.
    ///   - note: recorded as the deliveries' last error (`deferred by quiet hours`).
    func reschedule(_ deferrals: [(id: Int64, at: Int64)], owner: String, note: String) throws
    /// Gives back every lease `owner` still holds (shutdown after the drain timeout), the attempts
    /// not counted.
    /// - Returns: how many deliveries were given back.
    @discardableResult
    func releaseAll(owner: String) throws -> Int
    /// Ends at once the leases held by processes of this host that are gone (a restart after a crash),
    /// so the next claim takes their deliveries over. The attempts stay counted: the holder may have sent.
    /// - Returns: how many deliveries' leases were ended.
    @discardableResult
    func expireLeasesOfStoppedProcesses(now: Int64) throws -> Int
    /// When the next delivery of `channel` is due (or a lease on it expires); nil when none is
    /// queued, failed or leased.
    func nextDue(channel: String) throws -> Int64?
    /// Records a gateway's receipt on the delivery it names (by our id, else by the provider's id,
    /// on `channel`): delivered → `delivered`, failed → `bounced` (and a suppression when the
    /// receipt says so). A pending receipt, or one for a delivery not sent, sending or delivered
    /// (queued, dead, cancelled), changes nothing.
    /// - Returns: the delivery's id, or nil when no delivery of `channel` matches.
    func recordReceipt(_ r: Receipt, channel: String, now: Int64) throws -> Int64?
    /// Batches of a group commit that were redone with a savepoint per request, since the store opened.
    var slowPathBatches: Int { get }
    /// Commits a write that changes nothing, to learn whether the disk takes writes again.
    /// - Throws: the backend's error while it does not (`StorageUnavailable(error)` recognises it).
    func probeWrite() throws
}

/// What an import or upsert did.
public struct ImportCounts: Sendable, Equatable {
    public var inserted = 0
    public var updated = 0
    public var unchanged = 0
    /// Existing members of the import's list who had unsubscribed and stay so.
    public var keptUnsubscribed = 0
    /// Every contact touched, in input order.
    public var ids: [Int64] = []
    /// New contacts get ascending ids: these bound them.
    public var firstInsertedID: Int64?
    public var lastInsertedID: Int64?
    /// The contacts that existed before.
    public var existingIDs: [Int64] = []
    public init() {}
}

/// A client's idempotency key and the hash of the request it came with (SHA-256 of the body).
public struct IdempotencyKey: Sendable {
    public var key: String
    public var requestHash: [UInt8]
    public init(key: String, requestHash: [UInt8]) {
        self.key = key
        self.requestHash = requestHash
    }
}

/// One enqueue of a group commit.
public struct EnqueueRequest: Sendable {
    public let message: Message
    public var deliveries: [NewDelivery]
    public var idempotency: IdempotencyKey?
    /// `message.data` as JSON text, written by the thread making the request: the committer,
    /// which every request waits for, then only stores it.
    public let dataText: String
    public init(message: Message, deliveries: [NewDelivery], idempotency: IdempotencyKey?) {
        self.message = message
        self.deliveries = deliveries
        self.idempotency = idempotency
        self.dataText = message.data.serialized
    }
}

public struct EnqueueResult: Sendable, Equatable {
    public var messageID: Int64
    public var deliveryIDs: [Int64]
    /// True when an earlier request with the same idempotency key already queued this.
    public var replayed: Bool
    /// How many deliveries were new (a repeat of a campaign fan-out inserts none).
    public var inserted: Int
}

/// A delivery's outcome with the retry decision made by the worker.
public struct DeliveryResult: Sendable {
    public var id: Int64
    public var outcome: DeliveryOutcome
    /// For transient outcomes: when to try again, or nil to give up (dead).
    public var retryAt: Int64?
    public var address: String
    public init(id: Int64, outcome: DeliveryOutcome, retryAt: Int64?, address: String) {
        self.id = id
        self.outcome = outcome
        self.retryAt = retryAt
        self.address = address
    }
}

/// What a membership change did, contact by contact.
public struct MembershipChanges: Sendable, Equatable {
    public var changed: [Int64] = []
    public var unchanged: [Int64] = []
    /// Unsubscribed members an import left unsubscribed.
    public var keptUnsubscribed: [Int64] = []
    /// Pending deliveries an unsubscribe cancelled.
    public var cancelledDeliveries = 0
    public init() {}
}

extension Store {
    /// An officer's change (the CLI): refused on an unsubscribed member.
    @discardableResult
    public func setMembership(
        list: String, contactIDs: [Int64], state: MembershipState,
        consent: Consent
    ) throws -> MembershipChanges {
        try setMembership(
            list: list, contactIDs: contactIDs, state: state, consent: consent,
            by: state == .unsubscribed ? .person : .officer)
    }
}

extension DeliveryQueue {
    /// `expireLeasesOfStoppedProcesses(now:)` at the system's current time.
    @discardableResult
    public func expireLeasesOfStoppedProcesses() throws -> Int {
        try expireLeasesOfStoppedProcesses(now: WallClock.nowMillis())
    }
}
