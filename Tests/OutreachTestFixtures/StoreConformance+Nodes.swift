import Foundation
import Outreach
import Testing

/// A store of the queue that also registers the nodes sharing it, says who leads each duty and
/// tells of new work.
public typealias NodeQueueStore = DeliveryQueue & NodeRegistry & DutyLeadership & WorkNotifications

extension StoreConformance {
    /// `NodeRegistry` with the queue: what every backend promises (PostgreSQL's release of a dead
    /// node's leases across two stores is in `PostgresStoreTests`; SQLite has no other nodes).
    public static let nodes: [StoreCheck<any NodeQueueStore>] = [
        StoreCheck("aLiveNodesLeasesAreNeverReleased", aLiveNodesLeasesAreNeverReleased),
        StoreCheck("aNodeAloneLeadsEveryDutyAndKeepsIt", aNodeAloneLeadsEveryDutyAndKeepsIt),
        StoreCheck("aSubscriptionHearsTheChannelsOfNewWork", aSubscriptionHearsTheChannelsOfNewWork),
    ]

    /// A backend that listens (PostgreSQL) tells a subscription, a session of its own, the
    /// channels of work queued after it subscribed; one with nothing to listen to (SQLite) has
    /// no subscription. (What notifies and what does not is in `PostgresStoreTests`.)
    public static func aSubscriptionHearsTheChannelsOfNewWork(_ s: any NodeQueueStore) throws {
        guard let subscription = try s.subscribeToWork() else { return }
        _ = try s.enqueue(
            Message(template: "welcome"), deliveries: [NewDelivery(channel: "outbox", address: "p@example.org")],
            idempotency: nil)
        let deadline = Date(timeIntervalSinceNow: 20)
        var heard = Set<String>()
        while !heard.contains("outbox") && Date() < deadline {
            heard.formUnion(try subscription.next(timeoutMillis: 200))
        }
        #expect(heard == ["outbox"])
    }

    /// One node on its own leads every duty, asked again and again, and after resigning takes
    /// them again (two PostgreSQL nodes competing are in `PostgresStoreTests`).
    public static func aNodeAloneLeadsEveryDutyAndKeepsIt(_ s: any NodeQueueStore) throws {
        for _ in 0..<2 {
            for duty in Duty.allCases { #expect(s.leads(duty), "\(duty)") }
        }
        s.resignDuties()
        #expect(Duty.allCases.allSatisfy { s.leads($0) })
        s.resignDuties()
    }

    /// A node that keeps beating keeps its leases however often the others look for dead nodes,
    /// and its completion stands.
    public static func aLiveNodesLeasesAreNeverReleased(_ s: any NodeQueueStore) throws {
        _ = try s.enqueue(
            Message(template: "welcome"),
            deliveries: (0..<3).map { NewDelivery(channel: "outbox", address: "p\($0)@example.org") },
            idempotency: nil)
        let liveness = NodeLiveness()
        let t = now
        try s.heartbeat(node: "a", now: t)
        try s.heartbeat(node: "b", now: t)
        let a = try s.claim(channels: ["outbox"], limit: 3, owner: "a", leaseMillis: 60_000, now: t)
        #expect(a.count == 3)
        for beat in 1...4 {
            let at = t + Int64(beat) * liveness.heartbeatMillis
            try s.heartbeat(node: "a", now: at)
            try s.heartbeat(node: "b", now: at)
            #expect(try s.releaseDeadNodes(olderThan: liveness.silentBefore(now: at), now: at) == 0)
        }
        let later = t + 4 * liveness.heartbeatMillis
        #expect(try s.claim(channels: ["outbox"], limit: 3, owner: "b", leaseMillis: 60_000, now: later).isEmpty)
        try s.complete(
            a.map {
                DeliveryResult(
                    id: $0.delivery.id, outcome: .sent(providerID: nil), retryAt: nil, address: $0.delivery.address)
            },
            owner: "a", now: later)
        #expect(try s.queueCounts(messageID: nil)[.sent] == 3)
    }
}
