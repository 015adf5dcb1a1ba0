import Foundation
import Synchronization
import Testing
@testable import Outreach

@Suite struct QueueTests {
    func store() throws -> SQLiteStore {
        try SQLiteStore(path: TestSupport.temporaryDirectory("queue") + "/o.db")
    }

    func enqueue(_ s: SQLiteStore, _ n: Int, kind: MessageKind = .transactional, channel: String = "outbox") throws
        -> EnqueueResult
    {
        try s.enqueue(
            Message(template: "welcome", kind: kind),
            deliveries: (0..<n).map { NewDelivery(channel: channel, address: "p\($0)@example.org") }, idempotency: nil)
    }

    @Test func claimLeasesSoNoOneElseTakesTheSameDelivery() throws {
        let s = try store()
        _ = try enqueue(s, 10)
        let now = WallClock.nowMillis()
        let a = try s.claim(channels: ["outbox"], limit: 6, owner: "a", leaseMillis: 60_000, now: now)
        let b = try s.claim(channels: ["outbox"], limit: 6, owner: "b", leaseMillis: 60_000, now: now)
        #expect(a.count == 6)
        #expect(b.count == 4)
        #expect(Set(a.map(\.delivery.id)).isDisjoint(with: Set(b.map(\.delivery.id))))
        #expect(try s.claim(channels: ["outbox"], limit: 10, owner: "c", leaseMillis: 60_000, now: now).isEmpty)
        #expect(
            try s.claim(channels: ["other"], limit: 10, owner: "c", leaseMillis: 60_000, now: now + 120_000).isEmpty)
    }

    @Test func anExpiredLeaseIsTakenOverAndTheOldOwnerCannotComplete() throws {
        let path = TestSupport.temporaryDirectory("lease") + "/o.db"
        var now: Int64 = 0
        do {
            let s = try SQLiteStore(path: path)
            _ = try enqueue(s, 3)
            now = WallClock.nowMillis()
            #expect(try s.claim(channels: nil, limit: 3, owner: "dead-worker", leaseMillis: 1_000, now: now).count == 3)
        }
        // A reopened store (a new process) resumes claimed-but-unsent deliveries once the lease expires.
        let s = try SQLiteStore(path: path)
        #expect(try s.claim(channels: nil, limit: 3, owner: "new", leaseMillis: 1_000, now: now + 500).isEmpty)
        let taken = try s.claim(channels: nil, limit: 3, owner: "new", leaseMillis: 60_000, now: now + 1_001)
        #expect(taken.count == 3)
        #expect(taken.allSatisfy { $0.delivery.attempts == 2 })
        try s.complete(
            taken.map {
                DeliveryResult(
                    id: $0.delivery.id, outcome: .permanent("late"), retryAt: nil, address: $0.delivery.address)
            },
            owner: "dead-worker", now: now + 2_000)
        #expect(try s.queueCounts(messageID: nil)[.sending] == 3)
        try s.complete(
            taken.map {
                DeliveryResult(
                    id: $0.delivery.id, outcome: .sent(providerID: "x"), retryAt: nil, address: $0.delivery.address)
            },
            owner: "new", now: now + 2_000)
        #expect(try s.queueCounts(messageID: nil)[.sent] == 3)
    }

    /// A definite bad mailbox (5.1.1) suppresses at once; a 550 saying less is scored instead
    /// (`StoreConformance.aRefusedRecipientDuringTheSessionIsABounce`).
    @Test func transientRetriesLaterAndPermanentBounceSuppresses() throws {
        let s = try store()
        _ = try enqueue(s, 2)
        let now = WallClock.nowMillis()
        let c = try s.claim(channels: nil, limit: 2, owner: "w", leaseMillis: 60_000, now: now)
        try s.complete(
            [
                DeliveryResult(
                    id: c[0].delivery.id, outcome: .transient("451 try later"), retryAt: now + 30_000,
                    address: c[0].delivery.address),
                DeliveryResult(
                    id: c[1].delivery.id, outcome: .permanent("550 5.1.1 no such user", suppress: true), retryAt: nil,
                    address: c[1].delivery.address),
            ], owner: "w", now: now)
        #expect(try s.delivery(id: c[0].delivery.id)?.state == .failed)
        #expect(try s.delivery(id: c[0].delivery.id)?.lastError == "451 try later")
        #expect(try s.delivery(id: c[1].delivery.id)?.state == .dead)
        #expect(try s.delivery(id: c[1].delivery.id)?.lastError == "550 5.1.1 no such user")
        #expect(try s.suppression(for: c[1].delivery.address) == .bounce)
        #expect(try s.claim(channels: nil, limit: 2, owner: "w", leaseMillis: 60_000, now: now + 29_000).isEmpty)
        #expect(try s.claim(channels: nil, limit: 2, owner: "w", leaseMillis: 60_000, now: now + 30_000).count == 1)
        #expect(try s.retry(ids: nil, now: now) == 1)
        #expect(try s.delivery(id: c[1].delivery.id)?.state == .queued)
    }

    @Test func idempotencyKeyReplaysOrConflicts() throws {
        let s = try store()
        let m = Message(template: "welcome")
        let d = [NewDelivery(channel: "outbox", address: "a@example.org")]
        let first = try s.enqueue(
            m, deliveries: d, idempotency: IdempotencyKey(key: "k1", requestHash: Array("h1".utf8)))
        let again = try s.enqueue(
            m, deliveries: d, idempotency: IdempotencyKey(key: "k1", requestHash: Array("h1".utf8)))
        #expect(again.replayed)
        #expect(again.messageID == first.messageID)
        #expect(again.deliveryIDs == first.deliveryIDs)
        #expect(throws: StoreError.idempotencyConflict(key: "k1")) {
            try s.enqueue(m, deliveries: d, idempotency: IdempotencyKey(key: "k1", requestHash: Array("other".utf8)))
        }
        #expect(try s.queueCounts(messageID: nil)[.queued] == 1)
    }

    /// A group-commit batch: a key conflict fails alone without a rollback; any other failure (here a
    /// delivery for a message that does not exist) sends the batch down the savepoint path, where
    /// it fails alone too; the unsynced variant then becomes durable with `syncCommitted()`.
    @Test func aBatchKeepsGoodRequestsWhenOneFails() throws {
        let s = try store()
        func request(_ address: String, key: String? = nil, messageID: Int64? = nil) -> EnqueueRequest {
            EnqueueRequest(
                message: Message(id: messageID, template: "welcome"),
                deliveries: [NewDelivery(channel: "outbox", address: address)],
                idempotency: key.map { IdempotencyKey(key: $0, requestHash: Array("h-\(address)".utf8)) })
        }
        let first = try s.enqueueBatch([request("a@example.org", key: "k1")])
        #expect((try? first[0].get())?.inserted == 1)

        let conflict = try s.enqueueBatchUnsynced([
            request("b@example.org"), request("c@example.org", key: "k1"), request("d@example.org"),
        ])
        try s.syncCommitted()
        #expect(conflict.map { (try? $0.get()) != nil } == [true, false, true])
        guard case .failure(let e as StoreError) = conflict[1], case .idempotencyConflict = e else {
            Issue.record("expected an idempotency conflict, got \(conflict[1])")
            return
        }

        // A replay in a batch answers with the first message; neither it nor the conflict leaves a message behind.
        let replay = try s.enqueueBatch([request("a@example.org", key: "k1"), request("h@example.org")])
        #expect(
            (try? replay[0].get())
                == (try? first[0].get()).map {
                    EnqueueResult(messageID: $0.messageID, deliveryIDs: $0.deliveryIDs, replayed: true, inserted: 0)
                })
        let messages = try s.with { db in try db.prepare("SELECT COUNT(*) FROM messages").rows { $0.int(0) }.first }
        #expect(messages == 4)  // a, b, d, h

        let broken = try s.enqueueBatch([
            request("e@example.org"), request("f@example.org", messageID: 999_999), request("g@example.org"),
        ])
        #expect(broken.map { (try? $0.get()) != nil } == [true, false, true])
        let queued = Set(try s.deliveries(state: .queued, messageID: nil, limit: 100).map(\.address))
        #expect(
            queued == [
                "a@example.org", "b@example.org", "d@example.org", "h@example.org", "e@example.org", "g@example.org",
            ])
    }

    /// `/metrics` counts every delivery; that read must not wait for a write transaction (the
    /// group committer's) to end.
    @Test func wholeQueueCountsDoNotWaitForTheWriter() throws {
        let s = try store()
        _ = try enqueue(s, 3)
        let inside = DispatchSemaphore(value: 0), release = DispatchSemaphore(value: 0)
        let events = Mutex<[String]>([])
        let writer = Thread {
            _ = try? s.write { db -> Int in
                try? db.prepare("UPDATE deliveries SET attempts = attempts WHERE id = 1").run()
                inside.signal()
                // Held until the count is done, or 5 s if the count waits for this transaction.
                _ = release.wait(timeout: .now() + 5)
                events.withLock { $0.append("writer done") }
                return 0
            }
        }
        writer.start()
        inside.wait()
        let counts = try s.queueCounts(messageID: nil)
        events.withLock { $0.append("counted") }
        release.signal()
        #expect(counts[.queued] == 3)
        try TestSupport.waitFor("the writer thread to finish", interval: 0.001) { events.withLock { $0.count } >= 2 }
        #expect(events.withLock { $0 } == ["counted", "writer done"])
    }

    @Test func aRepeatedFanOutQueuesEachRecipientOnce() throws {
        let s = try store()
        let first = try enqueue(s, 5, kind: .list)
        var m = Message(template: "welcome", kind: .list)
        m.id = first.messageID
        let again = try s.enqueue(
            m, deliveries: (0..<7).map { NewDelivery(channel: "outbox", address: "p\($0)@example.org") },
            idempotency: nil)
        #expect(again.inserted == 2)
        #expect(try s.queueCounts(messageID: first.messageID).values.reduce(0, +) == 7)
    }

    @Test func suppressionsApplyByKind() throws {
        let s = try store()
        try s.suppress(address: "Gone@Example.org", reason: .unsubscribed, detail: nil)
        try s.suppress(address: "bounced@example.org", reason: .bounce, detail: nil)
        let addrs = ["gone@example.org", "bounced@example.org", "ok@example.org"]
        let list = try s.enqueue(
            Message(template: "newsletter", kind: .list),
            deliveries: addrs.map { NewDelivery(channel: "outbox", address: $0) }, idempotency: nil)
        #expect(try s.queueCounts(messageID: list.messageID) == [.suppressed: 2, .queued: 1])
        // Transactional mail ignores only the unsubscribe kind.
        let tx = try s.enqueue(
            Message(template: "confirm", kind: .transactional),
            deliveries: addrs.map { NewDelivery(channel: "outbox", address: $0) }, idempotency: nil)
        #expect(try s.queueCounts(messageID: tx.messageID) == [.suppressed: 1, .queued: 2])
        // The group-commit path reads once per batch what the list holds, erased hashes included.
        let erased = try s.upsertContacts([Contact(email: "erased@example.org")]).ids[0]
        try s.eraseContact(id: erased)
        let batch = try s.enqueueBatch([
            EnqueueRequest(
                message: Message(template: "newsletter", kind: .list),
                deliveries: (addrs + ["Erased@example.org"]).map { NewDelivery(channel: "outbox", address: $0) },
                idempotency: nil)
        ])
        #expect(try s.queueCounts(messageID: try batch[0].get().messageID) == [.suppressed: 3, .queued: 1])
        let empty = try store()
        let none = try empty.enqueueBatch([
            EnqueueRequest(
                message: Message(template: "newsletter", kind: .list),
                deliveries: addrs.map { NewDelivery(channel: "outbox", address: $0) }, idempotency: nil)
        ])
        #expect(try empty.queueCounts(messageID: try none[0].get().messageID) == [.queued: 3])
    }

    @Test func retryPolicyBacksOffThenGivesUp() {
        var p = RetryPolicy()
        p.maxAttempts = 3
        #expect(p.retryAt(attempts: 1, createdAt: 0, now: 0, retryAfterSeconds: nil, random: 1) == 30_000)
        #expect(p.retryAt(attempts: 2, createdAt: 0, now: 0, retryAfterSeconds: nil, random: 1) == 60_000)
        #expect(p.retryAt(attempts: 2, createdAt: 0, now: 0, retryAfterSeconds: 5, random: 1) == 5_000)
        #expect(p.retryAt(attempts: 3, createdAt: 0, now: 0, retryAfterSeconds: nil, random: 1) == nil)
        #expect(p.retryAt(attempts: 1, createdAt: 0, now: p.maxAgeMillis, retryAfterSeconds: nil, random: 1) == nil)
    }
}
