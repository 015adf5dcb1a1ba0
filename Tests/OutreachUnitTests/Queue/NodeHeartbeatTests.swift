import Foundation
import Synchronization
import Testing

@testable import Outreach

/// The node heartbeat service: beats at start (the node is registered before its loops claim),
/// looks for nodes silent three heartbeats, and wakes the loops only when it released something.
@Suite struct NodeHeartbeatTests {
    @Test func itBeatsAtStartAndReleasesNodesSilentForThreeHeartbeats() throws {
        let registry = FakeNodeRegistry()
        let clock = ManualTime(1_000_000)
        let woken = Atomic<Int>(0)
        let service = NodeHeartbeat(
            registry: registry, node: "host:1:2.b.n:abc", liveness: NodeLiveness(heartbeatMillis: 2_000),
            clock: clock, log: { _, _ in }
        ) { woken.add(1, ordering: .relaxed) }
        #expect(service.step() == 0)
        #expect(registry.beats.withLock { $0.map(\.node) } == ["host:1:2.b.n:abc"])
        // Three heartbeats of its own before it judges others: they had as long to beat.
        #expect(registry.looks.withLock { $0.isEmpty })
        clock.set(1_004_000)
        #expect(service.step() == 0)
        #expect(registry.looks.withLock { $0.isEmpty })
        clock.set(1_006_000)
        #expect(service.step() == 0)
        #expect(registry.looks.withLock { $0.map(\.olderThan) } == [1_006_000 - 3 * 2_000])
        #expect(woken.load(ordering: .relaxed) == 0)

        registry.releasing.store(4, ordering: .relaxed)
        clock.set(1_008_000)
        #expect(service.step() == 4)
        #expect(registry.looks.withLock { $0.last?.now } == 1_008_000)
        #expect(woken.load(ordering: .relaxed) == 1)
    }

    /// The database away silences every node at once: once it answers again, a node waits three
    /// heartbeats of its own before it takes the others' silence for death.
    @Test func afterADatabaseOutageItBeatsThreeHeartbeatsBeforeJudgingAgain() throws {
        let registry = FakeNodeRegistry()
        let clock = ManualTime(1_000_000)
        let service = NodeHeartbeat(
            registry: registry, node: "n", liveness: NodeLiveness(heartbeatMillis: 1_000), clock: clock,
            log: { _, _ in }
        ) {}
        #expect(service.step() == 0)
        clock.set(1_003_000)
        #expect(service.step() == 0)
        #expect(registry.looks.withLock { $0.count } == 1)
        registry.away.store(true, ordering: .relaxed)
        clock.set(1_004_000)
        #expect(service.step() == nil)
        clock.set(1_009_000)
        #expect(service.step() == nil)
        registry.away.store(false, ordering: .relaxed)
        registry.releasing.store(2, ordering: .relaxed)
        clock.set(1_010_000)
        #expect(service.step() == 0)
        clock.set(1_012_000)
        #expect(service.step() == 0)
        #expect(registry.looks.withLock { $0.count } == 1, "no look within three heartbeats of the outage")
        clock.set(1_013_000)
        #expect(service.step() == 2)
        #expect(registry.looks.withLock { $0.last?.olderThan } == 1_010_000)
    }

    @Test func theThreadBeatsEveryIntervalUntilDrained() throws {
        let registry = FakeNodeRegistry()
        let service = NodeHeartbeat(
            registry: registry, node: "n", liveness: NodeLiveness(heartbeatMillis: 10), log: { _, _ in }
        ) {}
        try service.start()
        try TestSupport.waitFor("three beats", interval: 0.005) { registry.beats.withLock { $0.count } >= 3 }
        // Returns once the thread has ended.
        service.drain()
    }
}
