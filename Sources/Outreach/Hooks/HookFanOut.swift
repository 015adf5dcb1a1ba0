import Foundation
import Synchronization

/// Moves recorded events from the store's outbox into the delivery queue, one delivery per hook
/// that wants each (`HookOutbox.fanOutHookEvents`), and wakes those hooks' channel loops, which
/// post them with the queue's leases and retries. A service of `serve`: on start it tells the
/// store which types to record (those of the configured hooks; none without hooks), then looks
/// at the outbox every `intervalMillis` — other processes record events too (`lists
/// unsubscribe`, `work`), so waiting to be told would miss theirs.
public final class HookFanOut: Service {
    let store: any HookOutbox
    public let hooks: [Hook]
    let wake: @Sendable (Set<String>) -> Void
    let log: LogSink
    let clock: any TimeSource
    let intervalMillis: Int64
    /// Events per transaction: a backlog (an import of subscribers) goes out in bounded steps.
    let batchLimit: Int
    private let stopping = StopFlag()
    private let wakeup = Wakeup(loops: 1)
    private let done = ThreadSignal()
    private let started = Atomic<Bool>(false)

    /// - Parameters:
    ///   - wake: told the hook channels that got deliveries (the scheduler's loops).
    public init(
        store: any HookOutbox, hooks: [Hook], clock: any TimeSource = SystemTime(), intervalMillis: Int64 = 1_000,
        batchLimit: Int = 500, log: @escaping LogSink, wake: @escaping @Sendable (Set<String>) -> Void
    ) {
        self.store = store
        self.hooks = hooks
        self.clock = clock
        self.intervalMillis = intervalMillis
        self.batchLimit = batchLimit
        self.log = log
        self.wake = wake
    }

    public var serviceName: String { "hook fan-out" }

    public func start() throws {
        started.store(true, ordering: .relaxed)
        let t = Thread { [self] in
            self.run()
            self.done.signal()
        }
        t.name = "hooks"
        t.start()
    }

    public func drain() {
        guard started.load(ordering: .relaxed) else { return }
        stopping.set()
        wakeup.signal(dueAt: Int64.min)
        done.wait()
    }

    /// Fans out everything the outbox holds, a batch per transaction.
    /// - Returns: how many events left the outbox.
    @discardableResult
    public func fanOutAll() throws -> Int {
        var total = 0
        while true {
            let r = try store.fanOutHookEvents(to: hooks, limit: batchLimit, now: clock.nowMillis())
            total += r.events
            if !r.deliveries.isEmpty { wake(Set(r.deliveries.keys)) }
            if r.events < batchLimit || stopping.isSet { return total }
        }
    }

    private func run() {
        var subscribed = false
        var failures = 0
        while !stopping.isSet {
            let seen = wakeup.current
            do {
                if !subscribed {
                    try store.subscribeHooks(to: Set(hooks.flatMap(\.events)))
                    subscribed = true
                }
                // Without hooks: what the outbox held when they were removed is dropped once.
                try fanOutAll()
                failures = 0
                if hooks.isEmpty { return }
                wakeup.wait(loop: 0, after: seen, until: clock.nowMillis() + intervalMillis)
            } catch {
                failures += 1
                log(.error, "hooks: \(error)")
                wakeup.wait(loop: 0, after: seen, until: clock.nowMillis() + min(30_000, 500 << Int64(min(failures, 6))))
            }
        }
    }
}
