import Outreach

extension API {
    /// `GET /healthz`: no disk access; 503 while draining so a balancer stops sending.
    func health() -> Reply {
        draining.load(ordering: .relaxed)
            ? .now(.json(503, ["status": "draining"]))
            : .now(.json(200, ["status": "ok"]))
    }

    /// `GET /metrics`: Prometheus text, with the queue depth read now.
    func metricsPage() -> Reply {
        let counts = (try? store.queueCounts(messageID: nil)) ?? [:]
        let cancelled = (counts[.cancelled] ?? 0) > 0 ? (try? store.cancelReasons(messageID: nil)) ?? [:] : [:]
        metrics.registry.set("outreach_commit_slow_path_total", [:], Double(store.slowPathBatches))
        return .now(.text(200, metrics.render(queueCounts: counts, cancelled: cancelled), contentType: "text/plain; version=0.0.4; charset=utf-8"))
    }
}
