import Outreach

extension API {
    /// `GET /healthz`: no disk access; 503 while draining, while the database does not answer
    /// (PostgreSQL's `SELECT 1`, asked every few seconds), or while the store cannot take writes
    /// (a full disk, see `StoreHealth`), so a balancer stops sending. A channel whose endpoint is
    /// down is reported (since when, why) but keeps the daemon healthy: triggers are still
    /// accepted and wait for it.
    func health() -> Reply {
        if draining.load(ordering: .relaxed) { return .now(.json(503, ["status": "draining"])) }
        if let problem = storeHealth.problem {
            return .now(.json(503, ["status": .string(problem.status), "error": .string(problem.sentence)]))
        }
        let outages = availability.all
        guard !outages.isEmpty else { return .now(.json(200, ["status": "ok"])) }
        var down: [String: JSON] = [:]
        for (name, o) in outages {
            down[name] = ["since": .string(WallClock.rfc3339(o.since)), "error": .string(o.lastError)]
        }
        return .now(.json(200, ["status": "ok", "channels_down": .object(down)]))
    }

    /// `GET /metrics`: Prometheus text, with the queue depth read now.
    func metricsPage() -> Reply {
        let counts = (try? store.queueCounts(messageID: nil)) ?? [:]
        let cancelled = (counts[.cancelled] ?? 0) > 0 ? (try? store.cancelReasons(messageID: nil)) ?? [:] : [:]
        metrics.registry.set("outreach_commit_slow_path_total", [:], Double(store.slowPathBatches))
        return .now(
            .text(
                200,
                metrics.render(
                    queueCounts: counts, cancelled: cancelled, channels: snapshot.channels.keys.sorted(),
                    outages: availability.all), contentType: "text/plain; version=0.0.4; charset=utf-8"))
    }
}
