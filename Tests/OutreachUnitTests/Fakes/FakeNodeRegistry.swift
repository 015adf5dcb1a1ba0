import Outreach
import Synchronization

/// Records what `NodeHeartbeat` asks of the store; each look for dead nodes releases `releasing`.
final class FakeNodeRegistry: NodeRegistry {
    let beats = Mutex<[(node: String, now: Int64)]>([])
    let looks = Mutex<[(olderThan: Int64, now: Int64)]>([])
    let releasing = Atomic<Int>(0)
    /// While true, every call throws, as a database that cannot be reached.
    let away = Atomic<Bool>(false)

    func heartbeat(node: String, now: Int64) throws {
        if away.load(ordering: .relaxed) { throw StorageUnavailable(.unreachable) }
        beats.withLock { $0.append((node, now)) }
    }

    func releaseDeadNodes(olderThan: Int64, now: Int64) throws -> Int {
        looks.withLock { $0.append((olderThan, now)) }
        return releasing.load(ordering: .relaxed)
    }
}
