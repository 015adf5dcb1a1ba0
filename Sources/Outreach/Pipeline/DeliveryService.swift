import Synchronization

/// The channel loops as a service: on start, deliveries leased by processes of this host that no
/// longer run are taken over at once; on drain, the loops stop claiming and the batches in
/// flight get `drainTimeoutMillis` to finish before their leases are given back.
public final class DeliveryService: Service {
    public let scheduler: Scheduler
    private let worker: DeliveryWorker
    private let store: any DeliveryQueue
    private let log: LogSink
    /// How long a drain waits for the batches in flight (a reload may change it).
    public let drainTimeoutMillis: Atomic<Int64>

    public init(
        scheduler: Scheduler, worker: DeliveryWorker, store: any DeliveryQueue, drainTimeoutMillis: Int64,
        log: @escaping LogSink
    ) {
        self.scheduler = scheduler
        self.worker = worker
        self.store = store
        self.log = log
        self.drainTimeoutMillis = Atomic(drainTimeoutMillis)
    }

    public var serviceName: String { "channel loops" }

    public func start() throws {
        resumeLeasesOfStoppedProcesses()
        scheduler.start()
    }

    public func drain() {
        let timeout = drainTimeoutMillis.load(ordering: .relaxed)
        if scheduler.drain(timeoutMillis: timeout) {
            worker.close()
            return
        }
        let n = (try? store.releaseAll(owner: worker.owner)) ?? 0
        log(
            .warning,
            "in-flight batches did not finish within \(timeout / 1000)s; gave back \(n) leased deliveries")
    }

    /// Before the loops claim: deliveries leased by a process of this host that is no longer
    /// running (the one this restart replaces, killed) are taken over at once instead of after
    /// their lease. A failure here only delays them until the lease expires.
    private func resumeLeasesOfStoppedProcesses() {
        do {
            let n = try store.expireLeasesOfStoppedProcesses(now: worker.clock.nowMillis())
            guard n > 0 else { return }
            log(
                .notice,
                "resuming \(n) deliveries at once: their lease was held by a process of this host "
                    + "that is no longer running")
        } catch {
            log(
                .warning,
                "could not take over the leases of stopped processes; they resume when they expire: \(error)")
        }
    }
}
