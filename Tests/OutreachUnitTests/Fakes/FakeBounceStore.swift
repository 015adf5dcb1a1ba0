import Foundation
import Synchronization

@testable import Outreach

/// An in-memory `BounceStore` for the rules of `BounceRules`: deliveries, scores, records, the
/// suppression list and list memberships by address. A transaction works on a copy of the state
/// that replaces it only when the body returns, so a throw keeps nothing, as a store's rollback.
/// `failNextInsert` makes the next record's insert throw (a disk that refuses the write).
final class FakeBounceStore: BounceStore {
    struct DiskFull: Error {}

    struct State {
        var deliveries: [Int64: Delivery] = [:]
        var records: [BounceRecord] = []
        var scores: [String: BounceScore] = [:]
        var suppressions: [String: SuppressionEntry] = [:]
        var removals: [SuppressionRemoval] = []
        /// address → list → state.
        var memberships: [String: [String: MembershipState]] = [:]
        var failNextInsert = false
        var transactions = 0
    }

    let state = Mutex(State())

    /// Adds a delivery in `state`, sent at `sentAt` when it was handed over.
    @discardableResult
    func add(
        id: Int64, address: String, state s: DeliveryState = .sent, sentAt: Int64? = nil, contactID: Int64? = nil
    ) -> Delivery {
        let d = Delivery(
            id: id, messageID: 1, contactID: contactID, channel: "mail", address: address, state: s, attempts: 1,
            createdAt: 0, updatedAt: 0, sentAt: sentAt ?? (SendOutcome.handedOver.contains(s) ? 0 : nil))
        state.withLock { $0.deliveries[id] = d }
        return d
    }

    func delivery(_ id: Int64) -> Delivery? { state.withLock { $0.deliveries[id] } }
    var records: [BounceRecord] { state.withLock { $0.records } }
    func score(_ address: String) -> Double? { state.withLock { $0.scores[address]?.score } }
    func suppression(_ address: String) -> SuppressionReason? { state.withLock { $0.suppressions[address]?.reason } }

    func applyBounces<T: Sendable>(_ body: (any BounceLedger) throws -> T) throws -> T {
        try state.withLock { s in
            let ledger = Ledger(s)
            let out = try body(ledger)
            s = ledger.state
            s.transactions += 1
            return out
        }
    }

    func bounces(since: Int64?, address: String?, limit: Int) throws -> [BounceRecord] {
        records.filter { $0.at >= (since ?? .min) && (address == nil || $0.address == address) }.suffix(limit)
    }

    func suppressions(limit: Int) throws -> [SuppressionEntry] {
        Array(state.withLock { $0.suppressions.values.sorted { $0.since < $1.since } }.prefix(limit))
    }

    func suppressionEntry(address: String) throws -> SuppressionEntry? {
        state.withLock { $0.suppressions[address.lowercased()] }
    }

    func bounceScore(address: String) throws -> BounceScore? { state.withLock { $0.scores[address] } }

    func suppressionRemovals(address: String) throws -> [SuppressionRemoval] {
        state.withLock { $0.removals.filter { $0.address == address } }
    }

    /// The fake keeps no lists.
    func deliverability(list: String, since: Int64) throws -> ListDeliverability { ListDeliverability() }

    final class Ledger: BounceLedger {
        var state: State
        init(_ state: State) { self.state = state }

        func delivery(id: Int64) throws -> Delivery? { state.deliveries[id] }

        func latestHandedOver(to address: String, since: Int64) throws -> Delivery? {
            state.deliveries.values.filter {
                $0.address == address && ($0.sentAt ?? .min) >= since
                    && [.sent, .delivered, .bounced, .complained].contains($0.state)
            }.max { ($0.sentAt ?? 0, $0.id) < ($1.sentAt ?? 0, $1.id) }
        }

        func hasBounce(key: String) throws -> Bool { state.records.contains { $0.key == key } }

        func insertBounce(_ record: BounceRecord) throws {
            if state.failNextInsert {
                state.failNextInsert = false
                throw DiskFull()
            }
            var r = record
            r.id = Int64(state.records.count + 1)
            state.records.append(r)
        }

        func score(address: String) throws -> BounceScore? { state.scores[address] }
        func setScore(_ score: BounceScore?, address: String) throws { state.scores[address] = score }

        func settle(delivery id: Int64, as s: DeliveryState, from: Set<DeliveryState>, error: String, now: Int64)
            throws -> Bool
        {
            guard let d = state.deliveries[id], from.contains(d.state) else { return false }
            state.deliveries[id]!.state = s
            state.deliveries[id]!.lastError = error
            return true
        }

        func suppress(address: String, reason: SuppressionReason, detail: String?) throws {
            if let e = state.suppressions[address], e.reason.strength >= reason.strength { return }
            state.suppressions[address] = SuppressionEntry(address: address, reason: reason, detail: detail, since: 0)
            for (id, d) in state.deliveries where d.address == address && [.queued, .failed].contains(d.state) {
                state.deliveries[id]!.state = .cancelled
                state.deliveries[id]!.cancelReason = .suppressed
            }
        }

        func suppressionEntry(address: String) throws -> SuppressionEntry? { state.suppressions[address] }

        func removeSuppression(_ removal: SuppressionRemoval) throws {
            state.suppressions[removal.address] = nil
            state.removals.append(removal)
        }

        func unsubscribeEverywhere(address: String, contactID: Int64?, consent: Consent, except: String?) throws
            -> [String]
        {
            let left = (state.memberships[address] ?? [:]).filter { $0.value != .unsubscribed && $0.key != except }
                .keys.sorted()
            for l in left { state.memberships[address]![l] = .unsubscribed }
            return left
        }
    }
}
