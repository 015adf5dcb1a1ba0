import Foundation
import Synchronization

/// One worker thread of one channel: claims and sends batches while work is due, then sleeps
/// until the next due time (or a retry's time, or a lease's expiry) or until woken by the API.
final class ChannelLoop: Sendable {
    let channel: String
    let worker: DeliveryWorker
    let store: any DeliveryQueue
    let wakeup: Wakeup
    let stopping: StopFlag
    let done = ThreadSignal()
    /// The longest sleep: a safety net for work another process queued without waking us.
    let maxIdleMillis: Int64
    let log: LogSink

    init(
        channel: String, worker: DeliveryWorker, store: any DeliveryQueue, wakeup: Wakeup, stopping: StopFlag,
        maxIdleMillis: Int64 = 5_000, log: @escaping LogSink
    ) {
        self.channel = channel
        self.worker = worker
        self.store = store
        self.wakeup = wakeup
        self.stopping = stopping
        self.maxIdleMillis = maxIdleMillis
        self.log = log
    }

    func start(index: Int) {
        let loopIndex = index
        let t = Thread { [self] in
            self.run(index: loopIndex)
            self.done.signal()
        }
        t.name = "send-\(channel)-\(index)"
        t.start()
    }

    private func run(index: Int) {
        var failures = 0
        while !stopping.isSet {
            let seen = wakeup.current
            do {
                let s = try worker.runBatch(channel: channel)
                failures = 0
                if let until = s.waitUntil {
                    // The endpoint is down: nothing until the next probe (the API's wake-ups do not help).
                    if s.handled > 0 {
                        log(
                            .warning,
                            "\(channel): cannot reach the endpoint; \(s.deferred) deliveries wait without spending an attempt"
                        )
                    }
                    Thread.sleep(forTimeInterval: Double(max(10, min(until - worker.clock.nowMillis(), 1_000))) / 1000)
                    continue
                }
                if s.handled > 0 {
                    log(.info, "\(channel): sent \(s.sent), will retry \(s.failed), dead \(s.dead)")
                    continue
                }
                let now = worker.clock.nowMillis()
                let next = try store.nextDue(channel: channel)
                var wait = min(maxIdleMillis, next.map { $0 - now } ?? maxIdleMillis)
                // Due but nothing claimed: another worker holds it; do not spin.
                if wait <= 0 { wait = 50 }
                wakeup.wait(loop: index, after: seen, until: worker.clock.nowMillis() + wait)
            } catch {
                failures += 1
                log(.error, "\(channel): \(error)")
                wakeup.wait(
                    loop: index, after: seen,
                    until: worker.clock.nowMillis() + min(30_000, 500 << Int64(min(failures, 6)))
                )
            }
        }
    }
}

/// A flag the main thread sets once to stop the loops.
public final class StopFlag: Sendable {
    private let value = Atomic<Bool>(false)
    public init() {}
    public var isSet: Bool { value.load(ordering: .relaxed) }
    public func set() { value.store(true, ordering: .relaxed) }
}
