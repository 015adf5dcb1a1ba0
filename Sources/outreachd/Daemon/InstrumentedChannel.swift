import Foundation
import Outreach
import Synchronization

/// A channel as the daemon runs it: counts outcomes and send time into the metrics, and keeps to
/// the channel's `rate` (`50/s`) across all its workers by spacing batches.
final class InstrumentedChannel: Channel {
    let inner: any Channel
    let metrics: Metrics
    let rate: RateLimit?
    let batchCap: Int?
    /// When the next message may start, in uptime nanoseconds.
    private let nextFree = Mutex<UInt64>(0)

    init(_ inner: any Channel, metrics: Metrics, rate: RateLimit?, batchCap: Int?) {
        self.inner = inner
        self.batchCap = batchCap
        self.metrics = metrics
        self.rate = rate
    }

    var name: String { inner.name }
    var kind: ChannelKind { inner.kind }
    var target: ChannelTarget { inner.target }
    /// At most `batchCap`, and with a rate at most one second's worth, so pacing stays smooth.
    var batchSize: Int {
        var n = min(inner.batchSize, batchCap ?? Int.max)
        if let rate { n = min(n, Int(rate.perSecond.rounded(.down))) }
        return max(1, n)
    }
    var addressAttribute: String? { inner.addressAttribute }
    func close() { inner.close() }
    func forget(deliveryIDs: [Int64]) { inner.forget(deliveryIDs: deliveryIDs) }
    func probe() -> String? { inner.probe() }

    func send(_ batch: [OutgoingMessage]) -> [DeliveryOutcome] {
        if let rate, !batch.isEmpty {
            let now = DispatchTime.now().uptimeNanoseconds
            let cost = UInt64(Double(batch.count) / rate.perSecond * 1e9)
            let start = nextFree.withLock { next -> UInt64 in
                let s = max(next, now)
                next = s + cost
                return s
            }
            if start > now { usleep(useconds_t(min((start - now) / 1000, UInt64(UInt32.max)))) }
        }
        let t0 = DispatchTime.now().uptimeNanoseconds
        let outcomes = inner.send(batch)
        metrics.observeSend(
            channel: name, outcomes: outcomes, seconds: Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        return outcomes
    }
}
