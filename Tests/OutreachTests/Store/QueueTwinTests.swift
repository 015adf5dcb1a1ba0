import Foundation
import Testing
@testable import Outreach

/// Issue 14.13: requests repeating an Idempotency-Key ("twins") inside one group-commit batch.
@Suite struct QueueTwinTests {
    func request(_ address: String, key: String?, body: String? = nil) -> EnqueueRequest {
        EnqueueRequest(message: Message(template: "welcome", data: ["to": .string(address)]),
                       deliveries: [NewDelivery(channel: "outbox", address: address),
                                    NewDelivery(channel: "outbox", address: "copy-" + address)],
                       idempotency: key.map { IdempotencyKey(key: $0, requestHash: Crypto.sha256(Array((body ?? address).utf8))) })
    }

    /// A twin with the same body answers with its first's message, one with another body is
    /// refused, and the batch stays on its fast path: no rollback, no savepoint per request.
    @Test func twinsInOneBatchReplayWithoutTheSavepointPath() throws {
        let s = try SQLiteStore(path: TestSupport.temporaryDirectory("twins") + "/o.db")
        let earlier = try s.enqueueBatch([request("old@example.org", key: "k0")])
        let batch = try s.enqueueBatchUnsynced([
            request("a@example.org", key: "k1"),
            request("a@example.org", key: "k1"),
            request("b@example.org", key: "k2"),
            request("other@example.org", key: "k1"),
            request("a@example.org", key: "k1"),
            request("c@example.org", key: nil),
            request("old@example.org", key: "k0"),
            request("b@example.org", key: "k2"),
        ])
        try s.syncCommitted()
        #expect(s.slowPathBatches == 0)
        let r = batch.map { try? $0.get() }
        let a = try #require(r[0])
        #expect(!a.replayed && a.inserted == 2 && a.deliveryIDs.count == 2)
        let replayOfA = EnqueueResult(messageID: a.messageID, deliveryIDs: a.deliveryIDs, replayed: true, inserted: 0)
        #expect(r[1] == replayOfA)
        #expect(r[4] == replayOfA)
        let b = try #require(r[2])
        #expect(r[7] == EnqueueResult(messageID: b.messageID, deliveryIDs: b.deliveryIDs, replayed: true, inserted: 0))
        guard case .failure(StoreError.idempotencyConflict(let key)) = batch[3] else {
            Issue.record("expected a conflict for k1 with another body, got \(batch[3])")
            return
        }
        #expect(key == "k1")
        #expect(r[5]?.inserted == 2)
        let old = try #require(try? earlier[0].get())
        #expect(r[6] == EnqueueResult(messageID: old.messageID, deliveryIDs: old.deliveryIDs, replayed: true, inserted: 0))
        // One message per key (and the keyless one): nothing was queued twice.
        let messages = try s.with { db in try db.prepare("SELECT COUNT(*) FROM messages").rows { $0.int(0) }.first }
        #expect(messages == 4)
        #expect(try s.queueCounts(messageID: nil)[.queued] == 8)
    }

    /// The savepoint path is still there for what it is for: an error that is not a key's.
    @Test func anOtherErrorStillTakesTheSavepointPathAndIsCounted() throws {
        let s = try SQLiteStore(path: TestSupport.temporaryDirectory("twins-slow") + "/o.db")
        let broken = EnqueueRequest(message: Message(id: 999_999, template: "welcome"),
                                    deliveries: [NewDelivery(channel: "outbox", address: "x@example.org")], idempotency: nil)
        let results = try s.enqueueBatch([request("a@example.org", key: "k1"), broken, request("a@example.org", key: "k1")])
        #expect(s.slowPathBatches == 1)
        #expect(results.map { (try? $0.get())?.replayed } == [false, nil, true])
    }
}

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
        let a = try s.enqueue(Message(template: "welcome"), deliveries: (0..<3).map { NewDelivery(channel: "outbox", address: "a\($0)@example.org") },
                              idempotency: nil)
        _ = try s.enqueue(Message(template: "welcome"), deliveries: [NewDelivery(channel: "outbox", address: "b@example.org")], idempotency: nil)
        #expect(try s.deliveries(state: nil, messageID: a.messageID, limit: 100).map(\.id) == a.deliveryIDs)
        #expect(try s.deliveries(state: nil, messageID: a.messageID, limit: 2).map(\.id) == Array(a.deliveryIDs.prefix(2)))
        #expect(try s.deliveries(state: .sent, messageID: a.messageID, limit: 100).isEmpty)
        #expect(try s.deliveries(state: .queued, messageID: nil, limit: 100).count == 4)
    }
}
