import Outreach

extension API {
    /// `GET /healthz`: no disk access; 503 while draining, or while the store cannot take writes
    /// (a full disk, see `StoreHealth`), so a balancer stops sending.
    func health() -> Reply {
        if draining.load(ordering: .relaxed) { return .now(.json(503, ["status": "draining"])) }
        if let problem = storeHealth.problem {
            return .now(.json(503, ["status": "unwritable", "error": .string(problem)]))
        }
        return .now(.json(200, ["status": "ok"]))
    }

    /// `GET /metrics`: Prometheus text, with the queue depth read now.
    func metricsPage() -> Reply {
        let counts = (try? store.queueCounts(messageID: nil)) ?? [:]
        return .now(.text(200, metrics.render(queueCounts: counts), contentType: "text/plain; version=0.0.4; charset=utf-8"))
    }
}
