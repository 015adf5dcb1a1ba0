import Foundation

/// A channel as the pipeline runs it: keeps to the schedule's `rate` (`50/s`) across all the
/// channel's senders by spacing batches — its workers, and on PostgreSQL every node's (the slots
/// come from `pacing`) —, caps its batches, and reports each batch's outcomes and send time (the
/// daemon's metrics).
public final class PacedChannel: Channel {
    public let inner: any Channel
    public let rate: RateLimit?
    public let batchCap: Int?
    /// Where the channel's next free instant is kept: the store's (shared by every node of a
    /// database), or this channel's own.
    private let pacing: any SendPacing
    /// Told of every batch sent: the channel's name, the outcomes, the seconds the send took.
    private let observe: @Sendable (String, [DeliveryOutcome], Double) -> Void

    public init(
        _ inner: any Channel, rate: RateLimit?, batchCap: Int?, pacing: any SendPacing = LocalPacing(),
        observe: @escaping @Sendable (String, [DeliveryOutcome], Double) -> Void = { _, _, _ in }
    ) {
        self.inner = inner
        self.batchCap = batchCap
        self.rate = rate
        self.pacing = pacing
        self.observe = observe
    }

    public var name: String { inner.name }
    public var kind: ChannelKind { inner.kind }
    public var target: ChannelTarget { inner.target }
    /// At most `batchCap`, and with a rate at most one second's worth, so pacing stays smooth.
    public var batchSize: Int {
        var n = min(inner.batchSize, batchCap ?? Int.max)
        // Compared as Double first: a huge or infinite rate does not fit an Int (no trap on input).
        if let rate, rate.perSecond < Double(n) { n = Int(rate.perSecond.rounded(.down)) }
        return max(1, n)
    }
    public var addressAttribute: String? { inner.addressAttribute }
    public var inFlightLimit: Int? { inner.inFlightLimit }
    public var receipts: (any ReceiptCheck)? { inner.receipts }
    public var providerEvents: ProviderWebhook? { inner.providerEvents }
    public var bounceAddress: String? { inner.bounceAddress }
    public func close() { inner.close() }
    public func forget(deliveryIDs: [Int64]) { inner.forget(deliveryIDs: deliveryIDs) }
    public func probe() -> String? { inner.probe() }

    /// With a rate, `count / rate` seconds of the channel's time, from `pacing`: the worker waits
    /// for the slot's start, then sends (`DeliveryWorker`, which also decides what may stay
    /// claimed meanwhile). A slot that cannot be taken (the database is away) is thrown: the batch
    /// is then not sent at all, rather than sent unpaced.
    public func reserveSlot(count: Int) throws -> PacingSlot? {
        guard let rate, count > 0 else { return nil }
        return try pacing.reserve(channel: name, costMicros: Self.costMicros(count: count, perSecond: rate.perSecond))
    }

    /// Sends at once: the batch's slot was waited for by the worker (`reserveSlot`).
    public func send(_ batch: [OutgoingMessage]) -> [DeliveryOutcome] {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let outcomes = inner.send(batch)
        observe(name, outcomes, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        return outcomes
    }

    /// The most one batch costs: a year. A slower rate is kept as one a year, so the sum of the
    /// slots stays far from the end of `Int64` (a rate is input: it must not trap).
    static let maxCostMicros: Int64 = 366 * 86_400 * 1_000_000

    /// The time `count` messages take of a channel at `perSecond`, in microseconds (1 to `maxCostMicros`).
    static func costMicros(count: Int, perSecond: Double) -> Int64 {
        let micros = (Double(count) / perSecond * 1e6).rounded()
        guard micros >= 1 else { return 1 }  // also NaN and a negative rate
        return micros >= Double(maxCostMicros) ? maxCostMicros : Int64(micros)
    }
}
