import Foundation
import Synchronization

/// Claims due deliveries, composes them, hands batches to their channel and records the outcomes.
///
/// Each batch is one claim transaction and one completion transaction, so throughput is bounded by
/// the channel, not by commits.
public final class DeliveryWorker: Sendable {
    /// The queue it claims from and records to: all the worker needs of the store.
    public let store: any DeliveryQueue
    public let channels: [String: any Channel]
    public let composer: any DeliveryComposer
    public let policies: [String: RetryPolicy]
    public let owner: String
    public let leaseMillis: Int64
    /// Which endpoints are down; shared by every lane of every channel of this process.
    public let availability: ChannelAvailability
    /// Channel name → its quiet hours (replaced on SIGHUP): a claimed delivery whose recipient is
    /// in them is given back for the end of the window, its attempt not counted, so quiet hours
    /// never make a delivery go dead.
    public let quietHours: Mutex<[String: QuietHours]>
    /// Where deferrals are told: the daemon's log, or a CLI run's stderr.
    let report: @Sendable (String) -> Void
    /// Channels whose `channel_status` row this process has cleared since it last found them down.
    private let clearedStatus = Mutex<Set<String>>([])
    /// Applied to every failure's reason before it is recorded: what a peer or libcurl says can
    /// quote a URL with credentials in it, and the recorded reason is shown and exported.
    public let redactor: SecretRedactor
    /// Where the worker reads the time (a clock moved by hand in unit tests).
    public let clock: any TimeSource

    public init(
        store: any DeliveryQueue, channels: [String: any Channel], composer: any DeliveryComposer,
        policies: [String: RetryPolicy] = [:], owner: String = DeliveryWorker.defaultOwner(),
        leaseMillis: Int64 = 5 * 60_000, availability: ChannelAvailability = ChannelAvailability(),
        quietHours: [String: QuietHours] = [:], redactor: SecretRedactor = SecretRedactor(),
        clock: any TimeSource = SystemTime(), report: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.clock = clock
        self.redactor = redactor
        self.availability = availability
        self.quietHours = Mutex(quietHours)
        self.report = report
        self.store = store
        self.channels = channels
        self.composer = composer
        self.policies = policies
        self.owner = owner
        self.leaseMillis = leaseMillis
    }

    /// Host, pid, process start and a random part (`LeaseOwner`): unique per worker, and enough
    /// for a restart to tell that the holder of a lease has died.
    public static func defaultOwner() -> String {
        LeaseOwner.current().text
    }

    /// Sends one batch on `channel`; returns how many deliveries it handled (0 when nothing was due).
    ///
    /// A channel whose endpoint cannot be reached is marked down (`availability`): its deliveries
    /// go back to the queue without spending an attempt, and until it answers again only one
    /// delivery at a time is claimed, as a probe, on the probe's backoff.
    /// - Throws: the store's errors; `DeliveryWorkerError.wrongOutcomeCount` after recording the
    ///   batch, when the channel did not answer every message (the missing ones are retried).
    @discardableResult
    public func runBatch(channel name: String, now given: Int64? = nil) throws -> BatchSummary {
        let now = given ?? clock.nowMillis()
        guard let channel = channels[name] else { return BatchSummary() }
        var limit = channel.batchSize
        var probing = false
        switch availability.mode(name, now: now) {
        case .normal: break
        case .probe:
            limit = 1
            probing = true
        case .wait(let until):
            var s = BatchSummary()
            s.waitUntil = until
            return s
        }
        // A probe that ends without learning whether the endpoint answers (nothing due, nothing
        // composable, an error) gives the next probe back at once instead of a minute later.
        var probeSettled = false
        defer {
            if probing && !probeSettled {
                availability.allowProbe(name, at: clock.nowMillis() + availability.firstProbeMillis)
            }
        }

        var claimed = try claimOutsideQuietHours(name, limit: limit, now: now)
        if !claimed.isEmpty { claimed = try awaitSlot(claimed, channel: channel, name: name, now: now) }
        if claimed.isEmpty { return BatchSummary() }
        let policy = policies[name] ?? RetryPolicy()
        var outgoing: [OutgoingMessage] = []
        var sendable: [ClaimedDelivery] = []
        var results: [DeliveryResult] = []
        for c in claimed {
            // max_age ends a delivery however it waited (an outage, quiet hours, a paused campaign).
            if now - c.delivery.createdAt > policy.maxAgeMillis {
                results.append(
                    DeliveryResult(
                        id: c.delivery.id, outcome: .permanent("not sent within max_age; too late to send now"),
                        retryAt: nil, address: c.delivery.address))
                continue
            }
            do {
                outgoing.append(try composer.compose(c, for: channel))
                sendable.append(c)
            } catch {
                // A template that fails at send time will fail again: dead, with the reason kept.
                let reason = redactor.redact("cannot compose the message: \(error)")
                results.append(
                    DeliveryResult(
                        id: c.delivery.id, outcome: .permanent(reason),
                        retryAt: nil, address: c.delivery.address))
            }
        }
        var outcomes = outgoing.isEmpty ? [] : channel.send(outgoing).map(redactor.redact)
        // A channel must answer every message; a missing answer would leave its row leased.
        let answered = outcomes.count
        if answered < sendable.count {
            outcomes += Array(
                repeating: .transient("the channel \(name) gave no outcome for this message"),
                count: sendable.count - answered)
        }
        let done = clock.nowMillis()
        let verdict = availabilityAfter(name, outcomes: outcomes.prefix(sendable.count), now: done)
        if verdict != .nothingLearned { probeSettled = true }
        for (c, outcome) in zip(sendable, outcomes) {
            var outcome = outcome
            var retryAt: Int64? = nil
            if case .unreachable(let why, _) = outcome {
                switch verdict {
                case .down(let nextProbe):
                    // Waits for the endpoint without spending an attempt; only max_age ends it.
                    retryAt = nextProbe - c.delivery.createdAt <= policy.maxAgeMillis ? nextProbe : nil
                case .up, .nothingLearned:
                    // The endpoint answers; this message alone was refused: it spends its attempt.
                    outcome = .transient(why)
                }
            }
            if case .transient(_, let ra) = outcome {
                retryAt = policy.retryAt(
                    attempts: c.delivery.attempts, createdAt: c.delivery.createdAt, now: done, retryAfterSeconds: ra)
            }
            results.append(
                DeliveryResult(id: c.delivery.id, outcome: outcome, retryAt: retryAt, address: c.delivery.address))
        }
        try completeSent(results, now: done)
        var summary = BatchSummary()
        for r in results {
            summary.handled += 1
            switch r.outcome {
            case .sent: summary.sent += 1
            case .transient: if r.retryAt == nil { summary.dead += 1 } else { summary.failed += 1 }
            case .unreachable: if r.retryAt == nil { summary.dead += 1 } else { summary.deferred += 1 }
            case .permanent: summary.dead += 1
            }
        }
        if case .down(let nextProbe) = verdict { summary.waitUntil = nextProbe }
        guard answered == sendable.count else {
            throw DeliveryWorkerError.wrongOutcomeCount(channel: name, messages: sendable.count, outcomes: answered)
        }
        return summary
    }

    /// How long a claimed batch may wait for its slot of the channel's `rate` still leased: the
    /// claim checked consent, suppressions and cancellations, and this is how old that check may
    /// be when the batch goes out (as long as a batch is on the wire, "in flight").
    static let maxHoldMicros: Int64 = 1_000_000

    /// Waits for the batch's slot of the channel's `rate` (`Channel.reserveSlot`; the slots are
    /// shared by every node on PostgreSQL, so one can be far off). A slot further than
    /// `maxHoldMicros` (or half the lease) is waited for with the batch given back (its attempt not counted), and as
    /// many deliveries as the slot was taken for are claimed afresh at its start: so a no said
    /// meanwhile stops them, and no lease runs out however far the slot is (another worker would
    /// claim the delivery again and send it twice).
    /// - Throws: when the pace cannot be reached (the database is away): the batch is given back
    ///   first, nothing sent and no attempt counted, as when a claim fails; the loop backs off.
    private func awaitSlot(_ claimed: [ClaimedDelivery], channel: any Channel, name: String, now: Int64) throws
        -> [ClaimedDelivery]
    {
        let ids = claimed.map(\.delivery.id)
        let slot: PacingSlot?
        do {
            slot = try channel.reserveSlot(count: claimed.count)
        } catch {
            // When this cannot be written either, the leases end on their own (the attempt counted then).
            try? store.release(ids: ids, owner: owner)
            throw error
        }
        guard let slot, slot.waitMicros > 0 else { return claimed }
        // Half the lease at most: a short `[server] lease` must not run out while the batch waits.
        guard slot.waitMicros > min(Self.maxHoldMicros, leaseMillis * 500) else {
            Self.sleep(micros: slot.waitMicros)
            return claimed
        }
        try store.release(ids: ids, owner: owner)
        let before = clock.nowMillis()
        Self.sleep(micros: slot.waitMicros)
        let at = now + max(0, clock.nowMillis() - before)
        return try claimOutsideQuietHours(name, limit: claimed.count, now: at)
    }

    /// Claims up to `limit` of the channel's due deliveries and gives back those whose recipient is
    /// in the channel's quiet hours now; returns the rest.
    private func claimOutsideQuietHours(_ name: String, limit: Int, now: Int64) throws -> [ClaimedDelivery] {
        let claimed = try store.claim(channels: [name], limit: limit, owner: owner, leaseMillis: leaseMillis, now: now)
        guard let quiet = quietHours.withLock({ $0[name] }), !claimed.isEmpty else { return claimed }
        return try deferQuiet(claimed, quiet, channel: name, now: now)
    }

    /// Sleeps this thread for `micros` (however long: a slow rate's slot can be hours away).
    static func sleep(micros: Int64) {
        Thread.sleep(forTimeInterval: Double(micros) / 1e6)
    }

    /// Gives back the deliveries whose recipient is in the channel's quiet hours; returns the rest.
    private func deferQuiet(_ claimed: [ClaimedDelivery], _ quiet: QuietHours, channel: String, now: Int64) throws
        -> [ClaimedDelivery]
    {
        var keep: [ClaimedDelivery] = []
        var deferred: [(id: Int64, at: Int64)] = []
        for c in claimed {
            if let until = quiet.deferral(now: now, zone: c.delivery.timeZone ?? c.contact?.timeZone) {
                deferred.append((c.delivery.id, until))
            } else {
                keep.append(c)
            }
        }
        if !deferred.isEmpty {
            try store.reschedule(deferred, owner: owner, note: "deferred by quiet hours")
            report(
                "deferred \(deferred.count) deliver\(deferred.count == 1 ? "y" : "ies") on \(channel) to the end of quiet hours"
            )
        }
        return keep
    }

    /// What a batch told about the channel's endpoint.
    enum Verdict: Equatable {
        /// Something came back from the endpoint: it is up.
        case up
        /// Nothing reached it: down, with the next probe's instant.
        case down(nextProbe: Int64)
        case nothingLearned
    }

    /// Marks the channel up when any answer came back from its endpoint, down when nothing reached
    /// it. One message that alone gets "not available" (HTTP 502/503, SMTP 421) from a channel that
    /// is up proves nothing about the endpoint: it is charged as that message's failure.
    private func availabilityAfter(_ name: String, outcomes: ArraySlice<DeliveryOutcome>, now: Int64) -> Verdict {
        var unreached: String?
        var refused: String?
        var answered = false
        for o in outcomes {
            switch o {
            case .unreachable(let why, let peerAnswered):
                if peerAnswered { refused = refused ?? why } else { unreached = unreached ?? why }
            case .sent, .transient, .permanent:
                answered = true
            }
        }
        if answered {
            // The row another process (or an earlier run) left is cleared on this process's first answer.
            if availability.markUp(name) != nil || clearedStatus.withLock({ $0.insert(name).inserted }) {
                try? store.setChannelOutage(name, nil)
            }
            return .up
        }
        guard let why = unreached ?? refused else { return .nothingLearned }
        guard unreached != nil || outcomes.count >= 2 || availability.outage(name) != nil else {
            return .nothingLearned
        }
        let outage = availability.markDown(name, now: now, error: why)
        try? store.setChannelOutage(name, outage)
        clearedStatus.withLock { _ = $0.remove(name) }
        return .down(nextProbe: outage.nextProbeAt)
    }

    /// Sends everything due now on every channel, then returns (the CLI's `work --until-idle`).
    /// Deliveries that failed and are due again later are left for a later run.
    ///
    /// Two lanes run side by side, so one lane claims, renders and records while the other's batch
    /// is on the wire; the channel itself serialises its connections.
    public func runUntilIdle(lanes: Int = 2, progress: @escaping @Sendable (BatchSummary) -> Void = { _ in }) throws
        -> BatchSummary
    {
        let total = Mutex(BatchSummary())
        let failure = Mutex<(any Error)?>(nil)
        let names = channels.keys.sorted()
        DispatchQueue.concurrentPerform(iterations: max(1, lanes)) { _ in
            do {
                while true {
                    var round = BatchSummary()
                    for name in names { round.add(try runBatch(channel: name)) }
                    if round.handled == 0 { return }
                    let now = total.withLock { t -> BatchSummary in
                        t.add(round); return t
                    }
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
    /// Sent back to wait for an endpoint that could not be reached, without spending an attempt.
    public var deferred = 0
    /// The channel is down: nothing to claim before this instant (the next probe).
    public var waitUntil: Int64?
    public init() {}
    public mutating func add(_ o: BatchSummary) {
        handled += o.handled
        sent += o.sent
        failed += o.failed
        dead += o.dead
        deferred += o.deferred
    }
}

/// A batch the worker recorded, but could not trust.
public enum DeliveryWorkerError: Error, Equatable, CustomStringConvertible {
    case wrongOutcomeCount(channel: String, messages: Int, outcomes: Int)

    public var description: String {
        switch self {
        case .wrongOutcomeCount(let c, let m, let o):
            return
                "The channel \(c) answered \(o) of \(m) messages; the rest will be retried. This is a bug in the channel."
        }
    }
}
