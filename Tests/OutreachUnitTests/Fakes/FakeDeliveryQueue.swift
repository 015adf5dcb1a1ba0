import Foundation
import Synchronization

@testable import Outreach

/// An in-memory `DeliveryQueue` with the SQLite store's rules for what `DeliveryWorker` uses:
/// `claim` leases due deliveries and counts the attempt, `complete` and `reschedule` act only on
/// deliveries still leased by the owner, `reschedule` and an `unreachable` outcome give the
/// attempt back, and channel outages are kept by channel. Enqueue, receipts by delivery id (the
/// state moves; no suppression: the fake keeps none) and the reads that tests need work too; the
/// rest of the protocol (group commit, leases of stopped processes) is not the worker's, and
/// throws `FakeDeliveryQueue.Unsupported`.
final class FakeDeliveryQueue: DeliveryQueue {
    struct Unsupported: Error, CustomStringConvertible {
        let method: String
        var description: String { "FakeDeliveryQueue does not implement \(method)" }
    }

    /// A delivery as the fake keeps it: the stored row plus its lease.
    struct Row: Sendable {
        var delivery: Delivery
        var leaseOwner: String?
        var leaseExpiresAt: Int64?
    }

    private struct State {
        var messages: [Int64: Message] = [:]
        var contacts: [Int64: Contact] = [:]
        var rows: [Int64: Row] = [:]
        var outages: [String: ChannelAvailability.Outage] = [:]
        var nextID: Int64 = 1
        var claims = 0
        var commits = 0
        var failingCompletions = 0
    }

    private let state = Mutex(State())
    /// The instant `enqueue` stamps on new deliveries (ms since 1970).
    private let now: @Sendable () -> Int64

    init(now: @escaping @Sendable () -> Int64 = { WallClock.nowMillis() }) {
        self.now = now
    }

    // MARK: What tests read

    /// One delivery as stored now.
    func row(_ id: Int64) -> Row? { state.withLock { $0.rows[id] } }
    /// Every delivery, by id.
    var rows: [Row] { state.withLock { s in s.rows.values.sorted { $0.delivery.id < $1.delivery.id } } }
    /// The deliveries still leased (state `sending`).
    var leased: [Row] { rows.filter { $0.delivery.state == .sending } }
    /// The next `count` calls of `complete` throw, as a store that cannot be reached (`StorageUnavailable`).
    func failCompletions(_ count: Int) { state.withLock { $0.failingCompletions = count } }
    /// How many times `claim` was called.
    var claims: Int { state.withLock { $0.claims } }
    /// A contact the claimed deliveries of `contactID` carry.
    func addContact(_ contact: Contact, id: Int64) { state.withLock { $0.contacts[id] = contact } }

    // MARK: DeliveryQueue

    func enqueue(_ message: Message, deliveries: [NewDelivery], idempotency: IdempotencyKey?) throws -> EnqueueResult {
        let t = now()
        return state.withLock { s in
            var m = message
            let messageID = s.nextID
            s.nextID += 1
            m.id = messageID
            s.messages[messageID] = m
            var ids: [Int64] = []
            for d in deliveries {
                let id = s.nextID
                s.nextID += 1
                ids.append(id)
                s.rows[id] = Row(
                    delivery: Delivery(
                        id: id, messageID: messageID, contactID: d.contactID, channel: d.channel, address: d.address,
                        name: d.name, locale: d.locale, timeZone: d.timeZone, state: .queued, attempts: 0,
                        nextAttemptAt: d.notBefore ?? t, createdAt: t, updatedAt: t))
            }
            return EnqueueResult(messageID: messageID, deliveryIDs: ids, replayed: false, inserted: ids.count)
        }
    }

    func enqueueBatch(_ requests: [EnqueueRequest]) throws -> [Result<EnqueueResult, any Error>] {
        requests.map { r in Result { try enqueue(r.message, deliveries: r.deliveries, idempotency: r.idempotency) } }
    }

    func enqueueBatchUnsynced(_ requests: [EnqueueRequest]) throws -> [Result<EnqueueResult, any Error>] {
        if let e = failures.withLock({ $0.commit }) { throw e }
        state.withLock { $0.commits += 1 }
        return try enqueueBatch(requests)
    }

    func syncCommitted() throws {
        if let e = failures.withLock({ $0.sync }) { throw e }
    }

    /// Errors the group-commit calls throw (a full disk), set by a test.
    struct Failures {
        var commit: (any Error)?
        var sync: (any Error)?
    }

    let failures = Mutex(Failures())
    /// How many group commits (`enqueueBatchUnsynced`) were written.
    var commits: Int { state.withLock { $0.commits } }

    func claim(channels: [String]?, limit: Int, owner: String, leaseMillis: Int64, now: Int64) throws
        -> [ClaimedDelivery]
    {
        state.withLock { s in
            s.claims += 1
            let mine = s.rows.values.filter { channels?.contains($0.delivery.channel) ?? true }
            // Expired leases first, then due deliveries by their time (as the SQLite store).
            let expired = mine.filter { $0.delivery.state == .sending && ($0.leaseExpiresAt ?? .max) <= now }
                .sorted { $0.delivery.id < $1.delivery.id }
            let due = mine.filter {
                ($0.delivery.state == .queued || $0.delivery.state == .failed)
                    && ($0.delivery.nextAttemptAt ?? .max) <= now
            }.sorted { ($0.delivery.nextAttemptAt!, $0.delivery.id) < ($1.delivery.nextAttemptAt!, $1.delivery.id) }
            var out: [ClaimedDelivery] = []
            for var r in (expired + due).prefix(limit) {
                r.delivery.state = .sending
                r.delivery.attempts += 1
                r.delivery.updatedAt = now
                r.leaseOwner = owner
                r.leaseExpiresAt = now + leaseMillis
                s.rows[r.delivery.id] = r
                let contact = r.delivery.contactID.flatMap { s.contacts[$0] }
                out.append(
                    ClaimedDelivery(delivery: r.delivery, message: s.messages[r.delivery.messageID]!, contact: contact))
            }
            return out
        }
    }

    func complete(_ results: [DeliveryResult], owner: String, now: Int64) throws {
        try state.withLock { s in
            if s.failingCompletions > 0 {
                s.failingCompletions -= 1
                throw StorageUnavailable(.unreachable)
            }
            for r in results {
                guard var row = s.rows[r.id], row.leaseOwner == owner, row.delivery.state == .sending else { continue }
                row.leaseOwner = nil
                row.leaseExpiresAt = nil
                row.delivery.updatedAt = now
                switch r.outcome {
                case .sent(let pid):
                    row.delivery.state = .sent
                    row.delivery.sentAt = now
                    row.delivery.providerID = pid
                    row.delivery.lastError = nil
                case .transient(let why, _):
                    row.delivery.lastError = why
                    if let at = r.retryAt {
                        row.delivery.state = .failed
                        row.delivery.nextAttemptAt = at
                    } else {
                        row.delivery.state = .dead
                    }
                case .unreachable(let why, _):
                    row.delivery.lastError = why
                    if let at = r.retryAt {
                        // Not the message's fault: the attempt is given back.
                        row.delivery.state = row.delivery.attempts > 1 ? .failed : .queued
                        row.delivery.attempts -= 1
                        row.delivery.nextAttemptAt = at
                    } else {
                        row.delivery.state = .dead
                    }
                case .permanent(let why, _):
                    row.delivery.lastError = why
                    row.delivery.state = .dead
                }
                s.rows[r.id] = row
            }
        }
    }

    func release(ids: [Int64], owner: String) throws {
        state.withLock { s in
            for id in ids { Self.giveBack(&s, id: id, owner: owner, at: nil, note: nil) }
        }
    }

    func nextDueTime(channels: [String]?) throws -> Int64? {
        rows.filter { channels?.contains($0.delivery.channel) ?? true }.compactMap { r in
            switch r.delivery.state {
            case .queued, .failed: return r.delivery.nextAttemptAt
            case .sending: return r.leaseExpiresAt
            default: return nil
            }
        }.min()
    }

    func queueCounts(messageID: Int64?) throws -> [DeliveryState: Int] {
        var counts: [DeliveryState: Int] = [:]
        for r in rows where messageID == nil || r.delivery.messageID == messageID {
            counts[r.delivery.state, default: 0] += 1
        }
        return counts
    }

    func pendingByDue(now: Int64) throws -> PendingByDue {
        var out = PendingByDue()
        for r in rows where [.queued, .failed].contains(r.delivery.state) {
            let at = r.delivery.nextAttemptAt ?? 0
            if at <= now {
                out.dueNow += 1
            } else {
                out.later += 1
                out.nextLater = min(out.nextLater ?? at, at)
            }
        }
        return out
    }

    func setChannelOutage(_ channel: String, _ outage: ChannelAvailability.Outage?) throws {
        state.withLock { $0.outages[channel] = outage }
    }

    func channelOutages() throws -> [String: ChannelAvailability.Outage] { state.withLock { $0.outages } }

    func cancelReasons(messageID: Int64?) throws -> [CancelReason: Int] {
        var out: [CancelReason: Int] = [:]
        for r in rows where r.delivery.state == .cancelled && (messageID == nil || r.delivery.messageID == messageID) {
            out[r.delivery.cancelReason ?? .manual, default: 0] += 1
        }
        return out
    }

    func deliveries(state wanted: DeliveryState?, messageID: Int64?, limit: Int) throws -> [Delivery] {
        Array(
            rows.map(\.delivery).filter {
                (wanted == nil || $0.state == wanted) && (messageID == nil || $0.messageID == messageID)
            }.prefix(limit))
    }

    func delivery(id: Int64) throws -> Delivery? { row(id)?.delivery }

    func message(id: Int64) throws -> Message? { state.withLock { $0.messages[id] } }

    func retry(ids: [Int64]?, now: Int64) throws -> Int { throw Unsupported(method: "retry") }

    /// Queued or failed deliveries become `cancelled` (reason `manual`), as `queue cancel`.
    func cancel(ids: [Int64]) throws -> Int {
        state.withLock { s in
            var n = 0
            for id in ids {
                guard var row = s.rows[id], [.queued, .failed].contains(row.delivery.state) else { continue }
                row.delivery.state = .cancelled
                row.delivery.cancelReason = .manual
                s.rows[id] = row
                n += 1
            }
            return n
        }
    }

    func reschedule(_ deferrals: [(id: Int64, at: Int64)], owner: String, note: String) throws {
        state.withLock { s in
            for d in deferrals { Self.giveBack(&s, id: d.id, owner: owner, at: d.at, note: note) }
        }
    }

    func releaseAll(owner: String) throws -> Int {
        state.withLock { s in
            let ids = s.rows.values.filter { $0.leaseOwner == owner && $0.delivery.state == .sending }.map(
                \.delivery.id)
            for id in ids { Self.giveBack(&s, id: id, owner: owner, at: nil, note: nil) }
            return ids.count
        }
    }

    func expireLeasesOfStoppedProcesses(now: Int64) throws -> Int {
        throw Unsupported(method: "expireLeasesOfStoppedProcesses")
    }

    func nextDue(channel: String) throws -> Int64? { try nextDueTime(channels: [channel]) }

    func recordReceipt(_ r: Receipt, channel: String, now: Int64) throws -> Int64? {
        guard let id = r.deliveryID else { throw Unsupported(method: "recordReceipt by provider id") }
        return state.withLock { s in
            guard var row = s.rows[id], row.delivery.channel == channel else { return nil }
            if [.sent, .sending, .delivered].contains(row.delivery.state), r.state != .pending {
                row.delivery.state = r.state == .delivered ? .delivered : .bounced
                if r.state == .failed { row.delivery.lastError = r.reason }
                row.delivery.updatedAt = now
                s.rows[id] = row
            }
            return id
        }
    }

    /// Puts a delivery in `state` (a test's starting point: a message already sent).
    func setState(_ id: Int64, _ state: DeliveryState) {
        self.state.withLock { $0.rows[id]?.delivery.state = state }
    }

    var slowPathBatches: Int { 0 }

    func probeWrite() throws {}

    /// A leased delivery back to the queue with its attempt not counted (the SQLite store's rule).
    private static func giveBack(_ s: inout State, id: Int64, owner: String, at: Int64?, note: String?) {
        guard var row = s.rows[id], row.leaseOwner == owner, row.delivery.state == .sending else { return }
        row.delivery.state = row.delivery.attempts > 1 ? .failed : .queued
        row.delivery.attempts -= 1
        if let at { row.delivery.nextAttemptAt = at }
        if let note { row.delivery.lastError = note }
        row.leaseOwner = nil
        row.leaseExpiresAt = nil
        s.rows[id] = row
    }
}
