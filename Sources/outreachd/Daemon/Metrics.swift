import Outreach
import Synchronization

/// The daemon's metrics by name, over a `MetricsRegistry`.
struct Metrics: GroupCommitObserver {
    let registry = MetricsRegistry()
    /// Requests by status code, counted without a lock (every request counts one).
    let statusCounts = StatusCounters()

    /// - Parameter node: this node's id (its lease owner, the `nodes` table's id): every node's
    ///   `/metrics` is its own, and says whose it is.
    init(node: String) {
        registry.declare("outreach_node_info", .gauge, help: "1, labelled with the id of the node answering.")
        registry.set("outreach_node_info", ["node": node], 1)
        registry.declare("outreach_deliveries", .gauge, help: "Deliveries in the queue by state.")
        registry.declare(
            "outreach_channel_up", .gauge, help: "1 while a channel's endpoint answers, 0 while it cannot be reached.")
        registry.declare(
            "outreach_channel_down_since_seconds", .gauge,
            help: "Unix time since which a channel's endpoint cannot be reached (0 while it is up).")
        registry.declare(
            "outreach_deliveries_cancelled", .gauge,
            help: "Cancelled deliveries by reason (unsubscribed, suppressed, erased, campaign-cancelled, ...).")
        registry.declare("outreach_sent_total", .counter, help: "Messages a channel's peer accepted.")
        registry.declare(
            "outreach_failed_total", .counter, help: "Sends that failed, by channel and kind (transient or permanent).")
        registry.declare(
            "outreach_send_duration_seconds", .histogram, help: "Time a channel took to send one batch, per message.",
            buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30])
        registry.declare("outreach_http_requests_total", .counter, help: "HTTP requests answered, by status code.")
        registry.declare(
            "outreach_commit_batch_size", .histogram, help: "Enqueue requests written by one group commit.",
            buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024])
        registry.declare(
            "outreach_commit_duration_seconds", .histogram, help: "Time of one group-commit transaction.",
            buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1])
        registry.declare(
            "outreach_enqueue_duration_seconds", .histogram,
            help:
                "Time from a trigger reaching the group committer to its answer being released (on disk, or refused).",
            buckets: [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5])
        registry.declare(
            "outreach_commit_slow_path_total", .counter,
            help: "Group commits redone with a savepoint per request (an error other than a key's).")
        registry.declare(
            "outreach_idempotent_twins_total", .counter,
            help: "Triggers repeating the Idempotency-Key of one in flight, answered with its outcome.")
        registry.add("outreach_idempotent_twins_total", [:], 0)
        registry.declare(
            "outreach_flush_duration_seconds", .histogram,
            help: "Time of one fsync of the write-ahead log; every waiting trigger waits for it.",
            buckets: [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5])
    }

    func observeFlush(seconds: Double) {
        registry.observe("outreach_flush_duration_seconds", [:], seconds)
    }

    func observeEnqueues(seconds: [Double]) {
        registry.observe("outreach_enqueue_duration_seconds", values: seconds)
    }

    func countTwins(_ n: Int) {
        registry.add("outreach_idempotent_twins_total", [:], Double(n))
    }

    func observeCommit(size: Int, seconds: Double) {
        registry.observe("outreach_commit_batch_size", [:], Double(size))
        registry.observe("outreach_commit_duration_seconds", [:], seconds)
    }

    func observeSend(channel: String, outcomes: [DeliveryOutcome], seconds: Double) {
        var sent = 0, transient = 0, permanent = 0, unreachable = 0
        for o in outcomes {
            switch o {
            case .sent: sent += 1
            case .transient: transient += 1
            case .permanent: permanent += 1
            case .unreachable: unreachable += 1
            }
        }
        if unreachable > 0 {
            registry.add("outreach_failed_total", ["channel": channel, "kind": "unreachable"], Double(unreachable))
        }
        if sent > 0 { registry.add("outreach_sent_total", ["channel": channel], Double(sent)) }
        if transient > 0 {
            registry.add("outreach_failed_total", ["channel": channel, "kind": "transient"], Double(transient))
        }
        if permanent > 0 {
            registry.add("outreach_failed_total", ["channel": channel, "kind": "permanent"], Double(permanent))
        }
        if !outcomes.isEmpty {
            let per = seconds / Double(outcomes.count)
            for _ in outcomes { registry.observe("outreach_send_duration_seconds", ["channel": channel], per) }
        }
    }

    func countRequest(status: Int) { statusCounts.add(status) }

    /// The exposition text with the queue depth read now.
    func render(
        queueCounts: [DeliveryState: Int], cancelled: [CancelReason: Int] = [:],
        channels: [String] = [], outages: [String: ChannelAvailability.Outage] = [:]
    ) -> String {
        for c in channels {
            registry.set("outreach_channel_up", ["channel": c], outages[c] == nil ? 1 : 0)
            registry.set("outreach_channel_down_since_seconds", ["channel": c], Double(outages[c]?.since ?? 0) / 1000)
        }
        for s in DeliveryState.allCases {
            registry.set("outreach_deliveries", ["state": s.rawValue], Double(queueCounts[s] ?? 0))
        }
        for r in CancelReason.allCases {
            registry.set("outreach_deliveries_cancelled", ["reason": r.rawValue], Double(cancelled[r] ?? 0))
        }
        for (code, n) in statusCounts.snapshot() {
            registry.set("outreach_http_requests_total", ["code": String(code)], Double(n))
        }
        return registry.render()
    }
}

/// One atomic counter per HTTP status code (100–599).
final class StatusCounters: Sendable {
    final class Counter: Sendable { let value = Atomic<Int>(0) }
    private let counters: [Counter] = (0..<500).map { _ in Counter() }

    func add(_ status: Int) {
        guard (100..<600).contains(status) else { return }
        counters[status - 100].value.add(1, ordering: .relaxed)
    }

    func snapshot() -> [(Int, Int)] {
        counters.enumerated().compactMap { i, c in
            let n = c.value.load(ordering: .relaxed)
            return n > 0 ? (i + 100, n) : nil
        }
    }
}
