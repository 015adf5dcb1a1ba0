import Outreach
import Synchronization

/// The store as a worker sees it (the daemon's, `work`'s and `send`'s): claims skip deliveries
/// whose recipient is in their channel's quiet hours, giving them back to be tried when the quiet
/// hours end (the attempt is not counted, so quiet hours never make a delivery go dead).
/// Everything else is the SQLite store.
final class QuietHoursStore: Store {
    let base: SQLiteStore
    /// Channel name → its quiet hours; replaced on SIGHUP.
    let rules: Mutex<[String: QuietHours]>

    /// Where a deferral is told: the daemon's log, or a CLI run's stderr.
    let report: @Sendable (String) -> Void

    init(base: SQLiteStore, rules: [String: QuietHours], report: @escaping @Sendable (String) -> Void = { Log.info($0) }) {
        self.base = base
        self.rules = Mutex(rules)
        self.report = report
    }

    func claim(channels: [String]?, limit: Int, owner: String, leaseMillis: Int64, now: Int64) throws -> [ClaimedDelivery] {
        let claimed = try base.claim(channels: channels, limit: limit, owner: owner, leaseMillis: leaseMillis, now: now)
        let rules = self.rules.withLock { $0 }
        guard !rules.isEmpty, !claimed.isEmpty else { return claimed }
        var keep: [ClaimedDelivery] = []
        var deferred: [(id: Int64, at: Int64)] = []
        for c in claimed {
            if let q = rules[c.delivery.channel], let until = q.deferral(now: now, zone: c.delivery.timeZone ?? c.contact?.timeZone) {
                deferred.append((c.delivery.id, until))
            } else {
                keep.append(c)
            }
        }
        if !deferred.isEmpty {
            try base.reschedule(deferred, owner: owner, note: "deferred by quiet hours")
            report("deferred \(deferred.count) deliver\(deferred.count == 1 ? "y" : "ies") on \(Set(claimed.map(\.delivery.channel)).sorted().joined(separator: ",")) to the end of quiet hours")
        }
        return keep
    }

    // Everything below forwards to the SQLite store.
    func upsertContacts(_ contacts: [Contact]) throws -> ImportCounts { try base.upsertContacts(contacts) }
    func contact(matching key: String) throws -> Contact? { try base.contact(matching: key) }
    func contacts(inList list: String?, limit: Int?) throws -> [Contact] { try base.contacts(inList: list, limit: limit) }
    func eraseContact(id: Int64) throws -> [(id: Int64, channel: String)] { try base.eraseContact(id: id) }
    func createList(name: String, doubleOptIn: Bool) throws -> MailingList { try base.createList(name: name, doubleOptIn: doubleOptIn) }
    func list(named name: String) throws -> MailingList? { try base.list(named: name) }
    func lists() throws -> [MailingList] { try base.lists() }
    func setMembership(list: String, contactIDs: [Int64], state: MembershipState, consent: Consent,
                       by authority: ConsentAuthority) throws -> MembershipChanges {
        try base.setMembership(list: list, contactIDs: contactIDs, state: state, consent: consent, by: authority)
    }
    func signUp(_ request: SignUpRequest) throws -> SignUpOutcome { try base.signUp(request) }
    func memberships(contactID: Int64) throws -> [(list: String, state: MembershipState, consent: Consent, at: Int64)] {
        try base.memberships(contactID: contactID)
    }
    func suppress(address: String, reason: SuppressionReason, detail: String?) throws { try base.suppress(address: address, reason: reason, detail: detail) }
    func suppression(for address: String) throws -> SuppressionReason? { try base.suppression(for: address) }
    func enqueue(_ message: Message, deliveries: [NewDelivery], idempotency: IdempotencyKey?) throws -> EnqueueResult {
        try base.enqueue(message, deliveries: deliveries, idempotency: idempotency)
    }
    func enqueueBatch(_ requests: [EnqueueRequest]) throws -> [Result<EnqueueResult, any Error>] { try base.enqueueBatch(requests) }
    func enqueueBatchUnsynced(_ requests: [EnqueueRequest]) throws -> [Result<EnqueueResult, any Error>] {
        try base.enqueueBatchUnsynced(requests)
    }
    func syncCommitted() throws { try base.syncCommitted() }
    func complete(_ results: [DeliveryResult], owner: String, now: Int64) throws { try base.complete(results, owner: owner, now: now) }
    func release(ids: [Int64], owner: String) throws { try base.release(ids: ids, owner: owner) }
    func nextDueTime(channels: [String]?) throws -> Int64? { try base.nextDueTime(channels: channels) }
    func cancelReasons(messageID: Int64?) throws -> [CancelReason: Int] { try base.cancelReasons(messageID: messageID) }
    func setChannelOutage(_ channel: String, _ outage: ChannelAvailability.Outage?) throws { try base.setChannelOutage(channel, outage) }
    func channelOutages() throws -> [String: ChannelAvailability.Outage] { try base.channelOutages() }
    func queueCounts(messageID: Int64?) throws -> [DeliveryState: Int] { try base.queueCounts(messageID: messageID) }
    func deliveries(state: DeliveryState?, messageID: Int64?, limit: Int) throws -> [Delivery] {
        try base.deliveries(state: state, messageID: messageID, limit: limit)
    }
    func delivery(id: Int64) throws -> Delivery? { try base.delivery(id: id) }
    func retry(ids: [Int64]?, now: Int64) throws -> Int { try base.retry(ids: ids, now: now) }
    func cancel(ids: [Int64]) throws -> Int { try base.cancel(ids: ids) }
}
