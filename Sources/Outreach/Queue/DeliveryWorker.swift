import Foundation
import Synchronization

/// Claims due deliveries, composes them, hands batches to their channel and records the outcomes.
///
/// Each batch is one claim transaction and one completion transaction, so throughput is bounded by
/// the channel, not by commits.
public final class DeliveryWorker: Sendable {
    public let store: any Store
    public let channels: [String: any Channel]
    public let composer: any DeliveryComposer
    public let policies: [String: RetryPolicy]
    public let owner: String
    public let leaseMillis: Int64
    /// Applied to every failure's reason before it is recorded: what a peer or libcurl says can
    /// quote a URL with credentials in it, and the recorded reason is shown and exported.
    public let redactor: SecretRedactor

    public init(store: any Store, channels: [String: any Channel], composer: any DeliveryComposer,
                policies: [String: RetryPolicy] = [:], owner: String = DeliveryWorker.defaultOwner(),
                leaseMillis: Int64 = 5 * 60_000, redactor: SecretRedactor = SecretRedactor()) {
        self.redactor = redactor
        self.store = store
        self.channels = channels
        self.composer = composer
        self.policies = policies
        self.owner = owner
        self.leaseMillis = leaseMillis
    }

    /// host:pid:random — unique per process, readable in `queue list`.
    public static func defaultOwner() -> String {
        "\(ProcessInfo.processInfo.hostName):\(getpid()):\(Crypto.hex(Crypto.randomBytes(3)))"
    }

    /// Sends one batch on `channel`; returns how many deliveries it handled (0 when nothing was due).
    @discardableResult
    public func runBatch(channel name: String, now: Int64 = Clock.nowMillis()) throws -> BatchSummary {
        guard let channel = channels[name] else { return BatchSummary() }
        let claimed = try store.claim(channels: [name], limit: channel.batchSize, owner: owner, leaseMillis: leaseMillis, now: now)
        if claimed.isEmpty { return BatchSummary() }
        var outgoing: [OutgoingMessage] = []
        var sendable: [ClaimedDelivery] = []
        var results: [DeliveryResult] = []
        for c in claimed {
            do {
                outgoing.append(try composer.compose(c, for: channel))
                sendable.append(c)
            } catch {
                // A template that fails at send time will fail again: dead, with the reason kept.
                let reason = redactor.redact("cannot compose the message: \(error)")
                results.append(DeliveryResult(id: c.delivery.id, outcome: .permanent(reason),
                                              retryAt: nil, address: c.delivery.address))
            }
        }
        let outcomes = outgoing.isEmpty ? [] : channel.send(outgoing).map(redactor.redact)
        let policy = policies[name] ?? RetryPolicy()
        let done = Clock.nowMillis()
        for (c, outcome) in zip(sendable, outcomes) {
            var retryAt: Int64? = nil
            if case .transient(_, let ra) = outcome {
                retryAt = policy.retryAt(attempts: c.delivery.attempts, createdAt: c.delivery.createdAt, now: done, retryAfterSeconds: ra)
            }
            results.append(DeliveryResult(id: c.delivery.id, outcome: outcome, retryAt: retryAt, address: c.delivery.address))
        }
        try store.complete(results, owner: owner, now: done)
        var summary = BatchSummary()
        for r in results {
            summary.handled += 1
            switch r.outcome {
            case .sent: summary.sent += 1
            case .transient: if r.retryAt == nil { summary.dead += 1 } else { summary.failed += 1 }
            case .permanent: summary.dead += 1
            }
        }
        return summary
    }

    /// Sends everything due now on every channel, then returns (the CLI's `work --until-idle`).
    /// Deliveries that failed and are due again later are left for a later run.
    ///
    /// Two lanes run side by side, so one lane claims, renders and records while the other's batch
    /// is on the wire; the channel itself serialises its connections.
    public func runUntilIdle(lanes: Int = 2, progress: @escaping @Sendable (BatchSummary) -> Void = { _ in }) throws -> BatchSummary {
        let total = Mutex(BatchSummary())
        let failure = Mutex<(any Error)?>(nil)
        let names = channels.keys.sorted()
        DispatchQueue.concurrentPerform(iterations: max(1, lanes)) { _ in
            do {
                while true {
                    var round = BatchSummary()
                    for name in names { round.add(try runBatch(channel: name)) }
                    if round.handled == 0 { return }
                    let now = total.withLock { t -> BatchSummary in t.add(round); return t }
                    progress(now)
                }
            } catch {
                failure.withLock { $0 = $0 ?? error }
            }
        }
        if let e = failure.withLock({ $0 }) { throw e }
        return total.withLock { $0 }
    }

    /// Gives back leases still held (on shutdown), and closes the channels.
    public func close() {
        for c in channels.values { c.close() }
    }
}

/// Counts of one or more batches.
public struct BatchSummary: Sendable, Equatable {
    public var handled = 0
    public var sent = 0
    public var failed = 0
    public var dead = 0
    public init() {}
    public mutating func add(_ o: BatchSummary) {
        handled += o.handled
        sent += o.sent
        failed += o.failed
        dead += o.dead
    }
}
