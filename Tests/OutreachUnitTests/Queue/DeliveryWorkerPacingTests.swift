import Dispatch
import Foundation
import Synchronization
import Testing

@testable import Outreach

/// A paced channel (`rate`) under `DeliveryWorker`: waiting for a slot never outlasts what the
/// claim checked (a no said while waiting is honoured, no lease runs out while a far slot comes),
/// a pace that cannot be reached costs no attempt, and no `rate` kills the process.
@Suite struct DeliveryWorkerPacingTests {
    /// Answers the scripted waits in turn (then "free now"), or fails like a database that is away.
    final class ScriptedPacing: SendPacing {
        let waits: Mutex<[Int64]>
        let asked = Atomic<Int>(0)
        let failing: Bool
        init(waits: [Int64] = [], failing: Bool = false) {
            self.waits = Mutex(waits)
            self.failing = failing
        }
        struct Away: Error, CustomStringConvertible { var description: String { "the database cannot be reached" } }
        func reserve(channel: String, costMicros: Int64) throws -> PacingSlot {
            asked.add(1, ordering: .sequentiallyConsistent)
            if failing { throw Away() }
            let wait = waits.withLock { $0.isEmpty ? 0 : $0.removeFirst() }
            return PacingSlot(start: wait, waitMicros: wait)
        }
    }

    let queue = FakeDeliveryQueue()

    /// A flag shared with the thread that plays the recipient.
    final class Flag: Sendable {
        let value = Mutex(false)
        var isSet: Bool { value.withLock { $0 } }
        func set() { value.withLock { $0 = true } }
    }

    func worker(_ channel: any Channel, policy: RetryPolicy = RetryPolicy()) -> DeliveryWorker {
        DeliveryWorker(
            store: queue, channels: [channel.name: channel], composer: DeliveryWorkerTests.StubComposer(),
            policies: [channel.name: policy], owner: "worker-1")
    }

    @discardableResult
    func enqueue(_ addresses: [String]) throws -> [Int64] {
        try queue.enqueue(
            Message(template: "hello"), deliveries: addresses.map { NewDelivery(channel: "fake", address: $0) },
            idempotency: nil
        ).deliveryIDs
    }

    /// A slot 1.5 s away: the batch must not be held leased through the wait, and whatever is
    /// sent in the slot is claimed (consent, suppression, cancellation checked) after it. The
    /// delivery is cancelled — as an unsubscribe cancels — as soon as it is given back during
    /// the wait; it must not be sent.
    @Test func aNoSaidWhileWaitingForAFarSlotIsHonouredAndNoLeaseIsHeldThroughTheWait() throws {
        let inner = FakeChannel()
        let pacing = ScriptedPacing(waits: [1_500_000])
        let paced = PacedChannel(inner, rate: RateLimit("20/s"), batchCap: nil, pacing: pacing)
        let id = try #require(try enqueue(["a@example.org"]).first)
        let cancelledDuringWait = Flag()
        let stop = Flag()
        let queue = self.queue
        let poller = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            defer { poller.signal() }
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline && !stop.isSet {
                if pacing.asked.load(ordering: .sequentiallyConsistent) > 0,
                    let row = queue.row(id), row.leaseOwner == nil,
                    (try? queue.cancel(ids: [id])) == 1
                {
                    cancelledDuringWait.set()
                    return
                }
                usleep(2_000)
            }
        }
        _ = try worker(paced).runBatch(channel: "fake")
        stop.set()
        poller.wait()
        #expect(cancelledDuringWait.isSet, "the delivery stayed leased while waiting")
        #expect(inner.sent.isEmpty, "sent after the recipient's no")
        #expect(try #require(queue.row(id)).delivery.state == .cancelled)
    }

    /// A far slot is used: what is claimed afresh at it goes out, its attempt counted once; a
    /// near one (within `maxHoldMicros`) is waited for holding the batch, one claim.
    @Test func aFarSlotSendsWhatIsClaimedAtItAndANearOneKeepsTheBatch() throws {
        let inner = FakeChannel()
        let paced = PacedChannel(
            inner, rate: RateLimit("20/s"), batchCap: nil, pacing: ScriptedPacing(waits: [1_200_000, 10_000]))
        let ids = try enqueue(["a@example.org", "b@example.org", "c@example.org"])
        let w = worker(paced)
        #expect(try w.runBatch(channel: "fake").sent == 3)
        #expect(queue.claims == 2)
        for id in ids { #expect(try #require(queue.row(id)).delivery.attempts == 1) }
        try enqueue(["d@example.org"])
        #expect(try w.runBatch(channel: "fake").sent == 1)
        #expect(queue.claims == 3)
        #expect(inner.batches.map(\.count) == [3, 1])
    }

    /// The database away during the reservation: nothing sent, the batch given back with its
    /// attempt not counted, and the worker fails like any store error (its loop backs off). With
    /// `max_attempts = 1`, counting the attempt would kill the delivery for the database's outage.
    @Test func aPaceThatCannotBeReachedCostsNoAttempt() throws {
        let inner = FakeChannel()
        let paced = PacedChannel(inner, rate: RateLimit("20/s"), batchCap: nil, pacing: ScriptedPacing(failing: true))
        var policy = RetryPolicy()
        policy.maxAttempts = 1
        let id = try #require(try enqueue(["a@example.org"]).first)
        let w = worker(paced, policy: policy)
        for _ in 0..<3 {
            #expect(throws: (any Error).self) { try w.runBatch(channel: "fake") }
            let row = try #require(queue.row(id))
            #expect(row.delivery.state == .queued && row.delivery.attempts == 0 && row.leaseOwner == nil)
        }
        #expect(inner.batches.isEmpty)
    }

    /// Rates no channel can keep are refused as input, and extreme ones never trap.
    @Test func noRateTraps() {
        #expect(RateLimit("5/0s") == nil)
        #expect(RateLimit("5/0m") == nil)
        let huge = PacedChannel(
            FakeChannel(), rate: RateLimit(count: .max, windowMillis: 1000), batchCap: nil, pacing: ScriptedPacing())
        #expect(huge.batchSize == 64)
        let instant = PacedChannel(
            FakeChannel(), rate: RateLimit(count: 5, windowMillis: 0), batchCap: nil, pacing: ScriptedPacing())
        #expect(instant.batchSize == 64)
        #expect(instant.send(PacedChannelTests.batch(3)).count == 3)
        #expect(PacedChannel.costMicros(count: 64, perSecond: 1e-300) > 0)
        #expect(PacedChannel.costMicros(count: 1, perSecond: .infinity) == 1)
    }
}
