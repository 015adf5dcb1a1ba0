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
        if let rate { n = min(n, Int(rate.perSecond.rounded(.down))) }
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

    /// With a rate, the batch first takes its slot (`count / rate` seconds of the channel's time)
    /// and waits for it. A slot that cannot be taken (the database is away) fails the batch
    /// unsent rather than sending it unpaced: its deliveries are retried as after any transient
    /// failure, or, when the outcome cannot be recorded either, claimed again once their lease ends.
    public func send(_ batch: [OutgoingMessage]) -> [DeliveryOutcome] {
        if let rate, !batch.isEmpty {
            let cost = Self.costMicros(count: batch.count, perSecond: rate.perSecond)
            do {
                let slot = try pacing.reserve(channel: name, costMicros: cost)
                if slot.waitMicros > 0 { usleep(useconds_t(min(slot.waitMicros, Int64(UInt32.max)))) }
            } catch {
                let why = DeliveryOutcome.transient("not sent: the channel's rate could not be kept (\(error))")
                return batch.map { _ in why }
            }
        }
        let t0 = DispatchTime.now().uptimeNanoseconds
        let outcomes = inner.send(batch)
        observe(name, outcomes, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        return outcomes
    }

    /// The time `count` messages take of a channel at `perSecond`, in microseconds (at least 1).
    static func costMicros(count: Int, perSecond: Double) -> Int64 {
        max(1, Int64((Double(count) / perSecond * 1e6).rounded()))
    }
}
