import Foundation
import Synchronization

/// The channel loops: `workers` threads per channel (`[channels.X] workers`, default 1), each
/// claiming with leases, so several never send the same delivery and a crashed process's
/// deliveries are taken over when its leases expire.
public final class Scheduler: Sendable {
    let wakeups: [String: Wakeup]
    let loops: [ChannelLoop]
    let stopping = StopFlag()

    /// - Parameters:
    ///   - worker: sends the batches every loop claims.
    ///   - store: asked when a channel's next delivery is due.
    ///   - workers: loops per channel.
    ///   - maxIdleMillis: the longest a loop sleeps (work another process queued without waking it).
    ///   - log: where the loops report batches and errors.
    public init(
        worker: DeliveryWorker, store: any DeliveryQueue, workers: [String: Int], maxIdleMillis: Int64 = 5_000,
        log: @escaping LogSink
    ) {
        var wakeups: [String: Wakeup] = [:]
        var loops: [ChannelLoop] = []
        for (name, n) in workers.sorted(by: { $0.key < $1.key }) {
            let w = Wakeup(loops: max(1, n))
            wakeups[name] = w
            for _ in 0..<max(1, n) {
                loops.append(
                    ChannelLoop(
                        channel: name, worker: worker, store: store, wakeup: w, stopping: stopping,
                        maxIdleMillis: maxIdleMillis, log: log))
            }
        }
        self.wakeups = wakeups
        self.loops = loops
    }

    /// Starts every loop on its own thread.
    public func start() {
        var index: [String: Int] = [:]
        for l in loops {
            l.start(index: index[l.channel, default: 0])
            index[l.channel, default: 0] += 1
        }
    }

    /// New deliveries were written for these channels, the earliest due at the given instant (ms).
    public func wake(_ channels: [String: Int64]) {
        for (c, at) in channels { wakeups[c]?.signal(dueAt: at) }
    }

    /// Wakes every channel's loops (work may be due on any of them).
    public func wakeAll() {
        for w in wakeups.values { w.signal() }
    }

    /// New deliveries due now.
    public func wake(_ channels: Set<String>) {
        for c in channels { wakeups[c]?.signal() }
    }

    /// Stops claiming; waits up to `timeoutMillis` for the batches in flight. True when all loops ended.
    public func drain(timeoutMillis: Int64) -> Bool {
        stopping.set()
        for w in wakeups.values { w.signal(dueAt: Int64.min) }
        let deadline = Date(timeIntervalSinceNow: Double(timeoutMillis) / 1000)
        var all = true
        for l in loops where !l.done.wait(until: deadline) { all = false }
        return all
    }
}
