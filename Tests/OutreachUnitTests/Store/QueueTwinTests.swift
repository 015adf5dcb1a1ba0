import Foundation
import Testing
@testable import Outreach

/// Issue 14.13: requests repeating an Idempotency-Key ("twins") inside one group-commit batch.
@Suite struct QueueTwinTests {
    func request(_ address: String, key: String?, body: String? = nil) -> EnqueueRequest {
        EnqueueRequest(
            message: Message(template: "welcome", data: ["to": .string(address)]),
            deliveries: [
                NewDelivery(channel: "outbox", address: address),
                NewDelivery(channel: "outbox", address: "copy-" + address),
            ],
            idempotency: key.map { IdempotencyKey(key: $0, requestHash: Self.hash(body ?? address)) })
    }

    static func hash(_ body: String) -> [UInt8] { Crypto.sha256(Array(body.utf8)) }

    static func replay(of r: EnqueueResult) -> EnqueueResult {
        EnqueueResult(messageID: r.messageID, deliveryIDs: r.deliveryIDs, replayed: true, inserted: 0)
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
        #expect(r[1] == Self.replay(of: a))
        #expect(r[4] == Self.replay(of: a))
        let b = try #require(r[2])
        #expect(r[7] == Self.replay(of: b))
        guard case .failure(StoreError.idempotencyConflict(let key)) = batch[3] else {
            Issue.record("expected a conflict for k1 with another body, got \(batch[3])")
            return
        }
        #expect(key == "k1")
        #expect(r[5]?.inserted == 2)
        let old = try #require(try? earlier[0].get())
        #expect(r[6] == Self.replay(of: old))
        // One message per key (and the keyless one): nothing was queued twice.
        let messages = try s.with { db in try db.prepare("SELECT COUNT(*) FROM messages").rows { $0.int(0) }.first }
        #expect(messages == 4)
        #expect(try s.queueCounts(messageID: nil)[.queued] == 8)
    }

    /// The savepoint path is still there for what it is for: an error that is not a key's.
    @Test func anOtherErrorStillTakesTheSavepointPathAndIsCounted() throws {
        let s = try SQLiteStore(path: TestSupport.temporaryDirectory("twins-slow") + "/o.db")
        // A delivery for a message that does not exist: a foreign-key error.
        let broken = EnqueueRequest(
            message: Message(id: 999_999, template: "welcome"),
            deliveries: [NewDelivery(channel: "outbox", address: "x@example.org")],
            idempotency: nil)
        let a = request("a@example.org", key: "k1")
        let results = try s.enqueueBatch([a, broken, a])
        #expect(s.slowPathBatches == 1)
        #expect(results.map { (try? $0.get())?.replayed } == [false, nil, true])
    }
}
