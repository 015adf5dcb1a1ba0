import Foundation
import Synchronization
import Testing
@testable import Outreach

/// Issue 14.13, the cause of the slowdown: every replayed answer (and `GET /v1/messages/{id}`)
/// reads the message's deliveries; that read walked the whole deliveries table, on the writer's
/// connection and under its lock, so each replay stalled the group committer for O(queue).
@Suite struct MessageDeliveriesReadTests {
    @Test func aMessagesDeliveriesAreFoundThroughAnIndexNotATableScan() throws {
        let s = try SQLiteStore(path: TestSupport.temporaryDirectory("replay-read") + "/o.db")
        let plan = try s.with { db in
            try db.prepare("EXPLAIN QUERY PLAN " + SQLiteStore.deliveriesQuery(ofOneMessage: true))
                .rows([.null, .integer(1), .integer(100)]) { $0.text(3) }
        }
        #expect(!plan.isEmpty)
        #expect(plan.allSatisfy { !$0.hasPrefix("SCAN") }, "\(plan)")
        #expect(plan.contains { $0.contains("USING INDEX") && $0.contains("message_id=?") }, "\(plan)")
        // And it still answers what it answered: one message's deliveries in id order, by state.
        func to(_ addresses: [String]) -> [NewDelivery] {
            addresses.map { NewDelivery(channel: "outbox", address: $0) }
        }
        let a = try s.enqueue(
            Message(template: "welcome"), deliveries: to(["a0@x.org", "a1@x.org", "a2@x.org"]),
            idempotency: nil)
        _ = try s.enqueue(Message(template: "welcome"), deliveries: to(["b@x.org"]), idempotency: nil)
        let ids = { (limit: Int) in try s.deliveries(state: nil, messageID: a.messageID, limit: limit).map(\.id) }
        #expect(try ids(100) == a.deliveryIDs)
        #expect(try ids(2) == Array(a.deliveryIDs.prefix(2)))
        #expect(try s.deliveries(state: .sent, messageID: a.messageID, limit: 100).isEmpty)
        #expect(try s.deliveries(state: .queued, messageID: nil, limit: 100).count == 4)
    }

    /// A replayed answer must not wait for the group committer's transaction, nor hold it up:
    /// one message's deliveries are read on the reading connection, from committed data.
    @Test func aMessagesDeliveriesAreReadWithoutWaitingForTheWriter() throws {
        let s = try SQLiteStore(path: TestSupport.temporaryDirectory("replay-read-lock") + "/o.db")
        let a = try s.enqueue(
            Message(template: "welcome"), deliveries: [NewDelivery(channel: "outbox", address: "a@x.org")],
            idempotency: nil)
        let inside = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let events = Mutex<[String]>([])
        let writer = Thread {
            _ = try? s.write { db -> Int in
                try? db.prepare("UPDATE deliveries SET attempts = attempts WHERE id = 1").run()
                inside.signal()
                // Held until the read is done, or 5 s if the read waits for this transaction.
                _ = release.wait(timeout: .now() + 5)
                events.withLock { $0.append("writer done") }
                return 0
            }
        }
        writer.start()
        inside.wait()
        let ids = try s.deliveries(state: nil, messageID: a.messageID, limit: 100).map(\.id)
        events.withLock { $0.append("read") }
        release.signal()
        #expect(ids == a.deliveryIDs)
        try TestSupport.waitFor("the writer thread to finish", interval: 0.001) { events.withLock { $0.count } >= 2 }
        #expect(events.withLock { $0 } == ["read", "writer done"])
    }
}
