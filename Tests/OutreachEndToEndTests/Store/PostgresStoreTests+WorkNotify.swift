import Foundation
import Testing

@testable import Outreach

extension PostgresStoreTests {
    /// The `deliveries` triggers behind wake-ups: what another session hears on `outreach_work`
    /// after each write, through `subscribeToWork`. Notifications of different transactions come
    /// in commit order, so a marker NOTIFY after each step closes what that step sent.
    @Test func deliveriesThatBecomeDueNotifyTheirChannelsAtCommitAndNothingElseDoes() throws {
        let cluster = try PostgresCluster.running()
        let db = try cluster.createDatabase()
        let store = try PostgresStore(url: cluster.url(db))
        let other = try PostgresStore(url: cluster.url(db))
        let admin = try PostgresConnection(cluster.url(db))
        let subscription = try #require(try other.subscribeToWork())
        func heard(_ step: () throws -> Void) throws -> Set<String> {
            try step()
            try admin.execute("NOTIFY outreach_work, 'marker'")
            var got = Set<String>()
            try TestSupport.waitFor("the marker") {
                let n = try subscription.next(timeoutMillis: 100)
                got.formUnion(n)
                return n.contains("marker")
            }
            return got.subtracting(["marker"])
        }
        func enqueue(_ channels: [String]) throws {
            _ = try store.enqueue(
                Message(template: "welcome"),
                deliveries: channels.map { NewDelivery(channel: $0, address: "a@example.org") }, idempotency: nil)
        }
        func outcome(_ c: [ClaimedDelivery], _ o: DeliveryOutcome, retryAt: Int64? = nil) -> [DeliveryResult] {
            c.map { DeliveryResult(id: $0.delivery.id, outcome: o, retryAt: retryAt, address: $0.delivery.address) }
        }

        #expect(try heard { try enqueue(["mail", "sms", "mail2"]) } == ["mail", "sms", "mail2"])
        // Past the enqueue's own clock, so everything is due.
        let now = WallClock.nowMillis() + 1_000
        var mail: [ClaimedDelivery] = []
        #expect(
            try heard {
                mail = try store.claim(channels: ["mail"], limit: 5, owner: "n", leaseMillis: 60_000, now: now)
            }
            .isEmpty, "a claim notifies nothing")
        #expect(mail.count == 1)
        #expect(
            try heard { try store.complete(outcome(mail, .transient("4xx"), retryAt: now + 1), owner: "n", now: now) }
                == ["mail"], "a transient failure is due again")
        mail = try store.claim(channels: ["mail"], limit: 5, owner: "n", leaseMillis: 60_000, now: now + 2)
        #expect(try heard { try store.complete(outcome(mail, .permanent("5xx")), owner: "n", now: now + 2) }.isEmpty)
        var retried = 0
        #expect(try heard { retried = try store.retry(ids: nil, now: now + 3) } == ["mail"], "queue retry")
        #expect(retried == 1)

        // A transaction rolled back notifies nothing (it would have: an earlier due time).
        var rolledBack = false
        #expect(
            try heard {
                do {
                    try admin.transaction {
                        try admin.execute("UPDATE deliveries SET next_attempt_at = 0 WHERE channel = 'sms'")
                        throw PostgresError(sqlState: nil, message: "changed my mind")
                    }
                } catch { rolledBack = true }
            }.isEmpty)
        #expect(rolledBack)

        // A dead node's leases ended by another node: claimable again, so notified.
        try store.heartbeat(node: "dead", now: now)
        _ = try store.claim(channels: ["mail2"], limit: 5, owner: "dead", leaseMillis: 600_000, now: now)
        var released = 0
        #expect(try heard { released = try other.releaseDeadNodes(olderThan: now + 1, now: now + 1) } == ["mail2"])
        #expect(released == 1)
    }
}
