import Foundation
import Synchronization

/// The thread of a service that looks at the store now and then (event reminders, the hook
/// fan-out, the node heartbeat): started once, woken early through `wakeup`, stopped and waited
/// for by `drain`.
final class ServiceThread: Sendable {
    let stopping = StopFlag()
    let wakeup = Wakeup(loops: 1)
    private let done = ThreadSignal()
    private let started = Atomic<Bool>(false)

    /// Runs `body` on a thread named `name`; `body` returns once `stopping` is set.
    func start(name: String, _ body: @escaping @Sendable () -> Void) {
        started.store(true, ordering: .relaxed)
        let t = Thread { [done] in
            body()
            done.signal()
        }
        t.name = name
        t.start()
    }

    /// Stops the loop and waits for its thread; does nothing when it was never started.
    func drain() {
        guard started.load(ordering: .relaxed) else { return }
        stopping.set()
        wakeup.signal(dueAt: Int64.min)
        done.wait()
    }
}
