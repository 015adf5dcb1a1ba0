import Synchronization
import Testing

@testable import Outreach

/// Services start in the order given and drain in the reverse; a service that cannot start
/// drains those started before it.
@Suite struct ServiceGroupTests {
    final class Journal: Sendable {
        let lines = Mutex<[String]>([])
        func add(_ s: String) { lines.withLock { $0.append(s) } }
        var all: [String] { lines.withLock { $0 } }
    }

    final class Recorder: Service {
        struct CannotStart: Error {}
        let serviceName: String
        let journal: Journal
        let fails: Bool
        init(_ name: String, _ journal: Journal, fails: Bool = false) {
            serviceName = name
            self.journal = journal
            self.fails = fails
        }
        func start() throws {
            if fails { throw CannotStart() }
            journal.add("start \(serviceName)")
        }
        func drain() { journal.add("drain \(serviceName)") }
    }

    @Test func startsInOrderAndDrainsInReverse() throws {
        let j = Journal()
        let group = ServiceGroup(
            [Recorder("loops", j), Recorder("committer", j), Recorder("http", j)], log: { _, _ in })
        try group.start()
        group.drain()
        #expect(
            j.all == [
                "start loops", "start committer", "start http", "drain http", "drain committer", "drain loops",
            ])
    }

    @Test func aServiceThatCannotStartDrainsThoseBeforeIt() throws {
        let j = Journal()
        let logged = Journal()
        let group = ServiceGroup(
            [Recorder("loops", j), Recorder("committer", j), Recorder("http", j, fails: true)],
            log: { _, m in logged.add(m) })
        #expect(throws: Recorder.CannotStart.self) { try group.start() }
        #expect(j.all == ["start loops", "start committer", "drain committer", "drain loops"])
        #expect(logged.all.contains { $0.contains("http could not start") })
    }
}
