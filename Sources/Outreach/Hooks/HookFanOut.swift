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
    private let thread = ServiceThread()
    /// Whether the store was told the types to record.
    private let subscribed = Atomic<Bool>(false)

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

    /// Tells the store what to record and moves what the outbox holds, before the HTTP server
    /// takes requests (a failure is logged and tried again by the thread); then, with hooks,
    /// starts the thread that keeps looking.
    public func start() throws {
        step()
        guard !hooks.isEmpty || !subscribed.load(ordering: .relaxed) else { return }
        thread.start(name: "hooks") { [self] in self.run() }
    }

    public func drain() { thread.drain() }

    /// Fans out everything the outbox holds, a batch per transaction.
    /// - Returns: how many events left the outbox.
    @discardableResult
    public func fanOutAll() throws -> Int {
        var total = 0
        while true {
            let r = try store.fanOutHookEvents(to: hooks, limit: batchLimit, now: clock.nowMillis())
            total += r.events
            if !r.deliveries.isEmpty { wake(Set(r.deliveries.keys)) }
            if r.events < batchLimit || thread.stopping.isSet { return total }
        }
    }

    /// One look: the subscription until it is written, then the outbox. Returns whether it failed.
    @discardableResult
    private func step() -> Bool {
        do {
            if !subscribed.load(ordering: .relaxed) {
                try store.subscribeHooks(to: Set(hooks.flatMap(\.events)))
                subscribed.store(true, ordering: .relaxed)
            }
            // Without hooks: what the outbox held when they were removed is dropped, once.
            try fanOutAll()
            return false
        } catch {
            log(.error, "hooks: \(error)")
            return true
        }
    }

    private func run() {
        var failures = 0
        while !thread.stopping.isSet {
            let seen = thread.wakeup.current
            let pause = failures == 0 ? intervalMillis : min(30_000, 500 << Int64(min(failures, 6)))
            thread.wakeup.wait(loop: 0, after: seen, until: clock.nowMillis() + pause)
            if thread.stopping.isSet { return }
            failures = step() ? failures + 1 : 0
            if hooks.isEmpty && failures == 0 { return }
        }
    }
}
