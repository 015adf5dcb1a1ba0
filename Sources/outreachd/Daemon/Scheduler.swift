import Foundation
import Outreach
import Synchronization

/// The channel loops: `workers` threads per channel (`[channels.X] workers`, default 1), each
/// claiming with leases, so several never send the same delivery and a crashed process's
/// deliveries are taken over when its leases expire.
final class Scheduler: Sendable {
    let wakeups: [String: Wakeup]
    let loops: [ChannelLoop]
    let stopping = StopFlag()

    init(worker: DeliveryWorker, store: any Store, workers: [String: Int]) {
        var wakeups: [String: Wakeup] = [:]
        var loops: [ChannelLoop] = []
        for (name, n) in workers.sorted(by: { $0.key < $1.key }) {
            let w = Wakeup(loops: max(1, n))
            wakeups[name] = w
            for _ in 0..<max(1, n) {
                loops.append(ChannelLoop(channel: name, worker: worker, store: store, wakeup: w, stopping: stopping))
            }
        }
        self.wakeups = wakeups
        self.loops = loops
    }

    func start() {
        var index: [String: Int] = [:]
        for l in loops {
            l.start(index: index[l.channel, default: 0])
            index[l.channel, default: 0] += 1
        }
    }

    /// New deliveries were written for these channels, the earliest due at the given instant (ms).
    func wake(_ channels: [String: Int64]) {
        for (c, at) in channels { wakeups[c]?.signal(dueAt: at) }
    }

    /// New deliveries due now.
    func wake(_ channels: Set<String>) {
        for c in channels { wakeups[c]?.signal() }
    }

    /// Stops claiming; waits up to `timeoutMillis` for the batches in flight. True when all loops ended.
    func drain(timeoutMillis: Int64) -> Bool {
        stopping.set()
        for w in wakeups.values { w.signal(dueAt: Int64.min) }
        let deadline = DispatchTime.now() + .milliseconds(Int(timeoutMillis))
        var all = true
        for l in loops where l.done.wait(timeout: deadline) == .timedOut { all = false }
        return all
    }
}
