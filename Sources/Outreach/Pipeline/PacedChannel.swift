import Foundation
import Synchronization

/// A channel as the pipeline runs it: keeps to the schedule's `rate` (`50/s`) across all the
/// channel's workers by spacing batches, caps its batches, and reports each batch's outcomes and
/// send time (the daemon's metrics).
public final class PacedChannel: Channel {
    public let inner: any Channel
    public let rate: RateLimit?
    public let batchCap: Int?
    /// Told of every batch sent: the channel's name, the outcomes, the seconds the send took.
    private let observe: @Sendable (String, [DeliveryOutcome], Double) -> Void
    /// When the next message may start, in uptime nanoseconds.
    private let nextFree = Mutex<UInt64>(0)

    public init(
        _ inner: any Channel, rate: RateLimit?, batchCap: Int?,
        observe: @escaping @Sendable (String, [DeliveryOutcome], Double) -> Void = { _, _, _ in }
    ) {
        self.inner = inner
        self.batchCap = batchCap
        self.rate = rate
        self.observe = observe
    }

    public var name: String { inner.name }
    public var kind: ChannelKind { inner.kind }
    public var target: ChannelTarget { inner.target }
    /// At most `batchCap`, and with a rate at most one second's worth, so pacing stays smooth.
    public var batchSize: Int {
        var n = min(inner.batchSize, batchCap ?? Int.max)
        if let rate { n = min(n, Int(rate.perSecond.rounded(.down))) }
        return max(1, n)
    }
    public var addressAttribute: String? { inner.addressAttribute }
    public var pacesItself: Bool { inner.pacesItself }
    public var inFlightLimit: Int? { inner.inFlightLimit }
    public var receipts: (any ReceiptCheck)? { inner.receipts }
    public var bounceAddress: String? { inner.bounceAddress }
    public func close() { inner.close() }
    public func forget(deliveryIDs: [Int64]) { inner.forget(deliveryIDs: deliveryIDs) }
    public func probe() -> String? { inner.probe() }

    public func send(_ batch: [OutgoingMessage]) -> [DeliveryOutcome] {
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
        observe(name, outcomes, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        return outcomes
    }
}
