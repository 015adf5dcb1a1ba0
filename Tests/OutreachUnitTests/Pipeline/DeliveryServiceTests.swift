import Foundation
import Synchronization
import Testing

@testable import Outreach

/// The channel loops as a service, in process: they send what is due, a wake-up brings new work
/// before their idle timeout, and a drain either finishes the batch in flight or gives its leases
/// back when the drain timeout passes.
@Suite struct DeliveryServiceTests {
    struct Composer: DeliveryComposer {
        func compose(_ c: ClaimedDelivery, for channel: any Channel) throws -> OutgoingMessage {
            OutgoingMessage(deliveryID: c.delivery.id, address: c.delivery.address, text: "hi")
        }
    }

    /// A channel whose `send` blocks until the test opens it (a batch in flight at shutdown).
    final class HeldChannel: Channel {
        let name = "held"
        let kind = ChannelKind.email
        let entered = ThreadSignal()
        let gate = ThreadSignal()
        func send(_ batch: [OutgoingMessage]) -> [DeliveryOutcome] {
            entered.signal()
            gate.wait()
            return batch.map { _ in .sent(providerID: nil) }
        }
    }

    let queue = FakeDeliveryQueue()
    final class Lines: Sendable {
        let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
    }
    let logged = Lines()

    func service(_ channel: any Channel, drainMillis: Int64 = 10_000) -> DeliveryService {
        let worker = DeliveryWorker(
            store: queue, channels: [channel.name: channel], composer: Composer(), owner: "w1")
        let logged = logged
        let log: LogSink = { _, m in logged.lines.withLock { $0.append(m) } }
        // A long idle sleep: only a wake-up can bring work queued after the loops went to sleep.
        let scheduler = Scheduler(
            worker: worker, store: queue, workers: [channel.name: 2], maxIdleMillis: 600_000, log: log)
        return DeliveryService(
            scheduler: scheduler, worker: worker, store: queue, drainTimeoutMillis: drainMillis, log: log)
    }

    func enqueue(_ channel: String, _ n: Int) throws {
        _ = try queue.enqueue(
            Message(template: "t"),
            deliveries: (0..<n).map { NewDelivery(channel: channel, address: "p\($0)@example.org") },
            idempotency: nil)
    }

    @Test func sendsWhatIsDueAndWhatAWakeUpBrings() throws {
        let channel = FakeChannel()
        try enqueue("fake", 3)
        let s = service(channel)
        try s.start()
        try TestSupport.waitFor("the first three sent") { queue.rows.filter { $0.delivery.state == .sent }.count == 3 }
        // The loops now sleep for ten minutes unless woken.
        try enqueue("fake", 2)
        s.scheduler.wake(["fake": 0])
        try TestSupport.waitFor("the two woken for sent") {
            queue.rows.filter { $0.delivery.state == .sent }.count == 5
        }
        s.drain()
        #expect(channel.closed)
        // The fake keeps no lease owners of other processes: the take-over says so and goes on.
        #expect(logged.all.contains { $0.contains("could not take over the leases") })
    }

    @Test func aDrainThatTimesOutGivesTheLeasesBack() throws {
        let channel = HeldChannel()
        try enqueue("held", 2)
        let s = service(channel, drainMillis: 50)
        try s.start()
        channel.entered.wait()
        #expect(queue.leased.count == 2)
        s.drain()
        // Given back untouched: due again, the attempt not spent.
        #expect(queue.leased.isEmpty)
        #expect(queue.rows.allSatisfy { $0.delivery.state == .queued && $0.delivery.attempts == 0 })
        #expect(logged.all.contains { $0.contains("gave back 2 leased deliveries") })
        // The batch in flight ends later; its lease is gone, so its outcome changes nothing.
        channel.gate.signal()
        channel.gate.signal()
    }
}
