import Foundation
import Synchronization

/// A service of `serve`: records every `heartbeatMillis` that this node is alive
/// (`NodeRegistry.heartbeat`) and, in the same step, releases the leases of nodes silent for
/// `NodeLiveness.missedBeats` heartbeats, so a dead node's deliveries go out again within seconds.
/// It judges only after beating that long itself (since its start, or since the database was
/// away), so nodes silenced together by the database are not taken for dead.
/// Started before the channel loops (the node is registered before it claims) and drained after
/// them (it keeps beating while they finish their batches, so no other node takes those over).
/// On SQLite both calls do nothing: one file is one host, whose stopped processes' leases end at start.
public final class NodeHeartbeat: Service {
    let registry: any NodeRegistry
    let node: String
    let liveness: NodeLiveness
    let clock: any TimeSource
    let log: LogSink
    let released: @Sendable () -> Void
    private let thread = ServiceThread()
    /// Whether the last step failed: a database away fails every step, logged once, not every beat.
    private let failing = Atomic<Bool>(false)
    /// Whether the last step recorded the beat; false at start and after a failure.
    private let beating = Atomic<Bool>(false)
    /// Before this instant (ms) the node does not look for dead nodes: `NodeLiveness.missedBeats`
    /// heartbeats after its first beat, at start and after a failure. A database that was away
    /// (a restart, a failover) silenced every node at once; the others need as long as this one
    /// to beat again, and before that their silence says nothing of them.
    private let judgeFrom = Atomic<Int64>(0)

    /// - Parameters:
    ///   - node: this node's id: its delivery worker's lease owner.
    ///   - released: called after another node's leases were ended (wake the channel loops).
    public init(
        registry: any NodeRegistry, node: String, liveness: NodeLiveness = NodeLiveness(),
        clock: any TimeSource = SystemTime(), log: @escaping LogSink, released: @escaping @Sendable () -> Void
    ) {
        self.registry = registry
        self.node = node
        self.liveness = liveness
        self.clock = clock
        self.log = log
        self.released = released
    }

    public var serviceName: String { "node heartbeat" }

    /// Beats once (a failure is logged; the thread tries again), then starts the thread that keeps beating.
    public func start() throws {
        _ = step()
        thread.start(name: "heartbeat") { [self] in self.run() }
    }

    public func drain() { thread.drain() }

    /// One heartbeat and one look for dead nodes. Returns how many leases were released; nil
    /// after a failure (logged).
    @discardableResult
    func step() -> Int? {
        do {
            let now = clock.nowMillis()
            try registry.heartbeat(node: node, now: now)
            if !beating.exchange(true, ordering: .relaxed) {
                judgeFrom.store(now + NodeLiveness.missedBeats * liveness.heartbeatMillis, ordering: .relaxed)
            }
            if failing.exchange(false, ordering: .relaxed) { log(.notice, "node heartbeat: recorded again") }
            guard now >= judgeFrom.load(ordering: .relaxed) else { return 0 }
            let n = try registry.releaseDeadNodes(olderThan: liveness.silentBefore(now: now), now: now)
            if n > 0 {
                log(
                    .notice,
                    "released \(n) deliveries leased by nodes silent for \(NodeLiveness.missedBeats) heartbeats")
                released()
            }
            return n
        } catch {
            beating.store(false, ordering: .relaxed)
            if !failing.exchange(true, ordering: .relaxed) {
                log(
                    .error,
                    "node heartbeat: \(error); other nodes release this node's deliveries after "
                        + "\(NodeLiveness.missedBeats) missed heartbeats")
            }
            return nil
        }
    }

    private func run() {
        while !thread.stopping.isSet {
            let seen = thread.wakeup.current
            thread.wakeup.wait(loop: 0, after: seen, until: WallClock.nowMillis() + liveness.heartbeatMillis)
            if thread.stopping.isSet { return }
            step()
        }
    }
}
