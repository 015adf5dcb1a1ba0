/// The due-runs step of recurring campaigns: `serve` performs it every few seconds, `work
/// --until-idle` before it works. Each occurrence whose time has come is handed to the store, which
/// runs it once (`CampaignRunStore.runCampaign`), however many processes ask at once.
public struct CampaignRunner: Sendable {
    public let store: any CampaignStore & CampaignRunStore

    public init(store: any CampaignStore & CampaignRunStore) {
        self.store = store
    }

    /// Runs every due occurrence of every `recurring` campaign, oldest first.
    /// - Parameter now: the current instant (ms since 1970).
    /// - Returns: the runs recorded by this call, with their campaign's name.
    public func runDue(now: Int64) throws -> [(campaign: String, run: CampaignRun)] {
        var out: [(campaign: String, run: CampaignRun)] = []
        for c in try store.campaigns() where c.state == .recurring {
            guard let recurrence = c.recurrence else { continue }
            let last = try store.latestCampaignRun(campaign: c.name)
                .map { CampaignOccurrence(index: $0.occurrence, local: recurrence.start, at: $0.at) }
            let runs = recurrence.runs(after: last, now: now, ahead: 1)
            for o in runs.due {
                // The series' last run, or a due one with nothing after it (an UNTIL reached), ends it.
                let isLast = o.index == runs.last || (o == runs.due.last && runs.next.isEmpty && recurrence.isFinite)
                if let run = try store.runCampaign(c.name, occurrence: o, last: isLast, now: now) {
                    out.append((c.name, run))
                }
            }
        }
        return out
    }

    /// The runs still ahead of a recurring campaign, at most `limit`.
    public func nextRuns(_ c: Campaign, now: Int64, limit: Int = 3) throws -> [CampaignOccurrence] {
        guard let recurrence = c.recurrence, c.state == .recurring || c.state == .paused else { return [] }
        let last = try store.latestCampaignRun(campaign: c.name)
            .map { CampaignOccurrence(index: $0.occurrence, local: recurrence.start, at: $0.at) }
        let runs = recurrence.runs(after: last, now: now, ahead: limit)
        return Array((runs.due + runs.next).prefix(limit))
    }
}

extension CampaignRunner {
    /// `campaign follow-up run #2 (2027-02-02T09:00:00Z): 14 queued, 1 suppressed` for logs.
    public static func describe(_ run: CampaignRun, of name: String) -> String {
        let head = "campaign \(name) run #\(run.occurrence + 1) (\(WallClock.rfc3339(run.at)))"
        guard run.state == .ran else { return head + ": skipped, found more than [campaigns] grace past its time" }
        let counts = run.counts.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.value) \($0.key.rawValue)" }
        return head + ": " + (counts.isEmpty ? "reached nobody" : counts.joined(separator: ", "))
    }
}
