/// The durable store behind the CLI and the daemon: one protocol per concern, and `Store` all of
/// them. SQLite implements it (`Store/SQLite/`); nothing else names a concrete store but the
/// composition root, and `StoreConformanceTests` holds every implementation to the same promises.
public protocol Store: ContactStore, ConsentStore, DeliveryQueue, CampaignStore, EventStore {}

/// The delivery queue: durable enqueue (group commit, idempotency keys), leased claims, outcomes.
/// Every method is one transaction: what it writes is on disk when it returns.
public protocol DeliveryQueue: AnyObject, Sendable {
    /// Stores a message and its deliveries in one transaction (group commit). With an idempotency
    /// key, a repeat returns the first result; the same key with another request hash throws `conflict`.
    func enqueue(_ message: Message, deliveries: [NewDelivery], idempotency: IdempotencyKey?) throws -> EnqueueResult
    /// Many enqueues in one transaction (group commit); one result per request, in order.
    func enqueueBatch(_ requests: [EnqueueRequest]) throws -> [Result<EnqueueResult, any Error>]
    /// `enqueueBatch` committed but not yet flushed to disk: durable only after `syncCommitted()`.
    /// Lets a group committer build the next transaction while the disk flushes the last one.
    func enqueueBatchUnsynced(_ requests: [EnqueueRequest]) throws -> [Result<EnqueueResult, any Error>]
    /// Flushes every commit made so far to disk.
    func syncCommitted() throws
    /// Leases up to `limit` due deliveries (queued/failed past their time, or sending with an expired lease).
    func claim(channels: [String]?, limit: Int, owner: String, leaseMillis: Int64, now: Int64) throws
        -> [ClaimedDelivery]
    /// Records outcomes for leased deliveries; a lease that was lost is left alone.
    func complete(_ results: [DeliveryResult], owner: String, now: Int64) throws
    /// Gives leased deliveries back untouched (graceful shutdown).
    func release(ids: [Int64], owner: String) throws
    func nextDueTime(channels: [String]?) throws -> Int64?
    func queueCounts(messageID: Int64?) throws -> [DeliveryState: Int]
    /// Records that a channel's endpoint is down (or, with nil, up again).
    func setChannelOutage(_ channel: String, _ outage: ChannelAvailability.Outage?) throws
    /// The channels recorded as down, by any process.
    func channelOutages() throws -> [String: ChannelAvailability.Outage]
    /// Cancelled deliveries by why they were cancelled (of one message, or of the whole queue).
    func cancelReasons(messageID: Int64?) throws -> [CancelReason: Int]
    func deliveries(state: DeliveryState?, messageID: Int64?, limit: Int) throws -> [Delivery]
    func delivery(id: Int64) throws -> Delivery?
    /// Puts dead or failed deliveries back in the queue; returns how many.
    func retry(ids: [Int64]?, now: Int64) throws -> Int
    func cancel(ids: [Int64]) throws -> Int
    /// Gives leased deliveries back to be tried at a later instant without counting the attempt
    /// (quiet hours: nothing was sent); a lease that was lost is left alone.
    func reschedule(_ deferrals: [(id: Int64, at: Int64)], owner: String, note: String) throws
    /// Gives back every lease `owner` still holds (shutdown after the drain timeout); returns how many.
    @discardableResult
    func releaseAll(owner: String) throws -> Int
    /// Ends at once the leases held by processes of this host that are gone (a restart after a crash).
    @discardableResult
    func expireLeasesOfStoppedProcesses(now: Int64) throws -> Int
    /// When the next delivery of `channel` is due (or a lease on it expires).
    func nextDue(channel: String) throws -> Int64?
    /// Records a gateway's receipt on the delivery it names; returns the delivery's id, or nil.
    func recordReceipt(_ r: Receipt, channel: String, now: Int64) throws -> Int64?
    /// Batches of a group commit that were redone with a savepoint per request.
    var slowPathBatches: Int { get }
    /// Commits a write that changes nothing, to learn whether the disk takes writes again.
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
    @discardableResult
    public func expireLeasesOfStoppedProcesses() throws -> Int {
        try expireLeasesOfStoppedProcesses(now: WallClock.nowMillis())
    }
}
