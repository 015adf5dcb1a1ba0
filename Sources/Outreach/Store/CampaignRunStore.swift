/// The runs of recurring campaigns (`Campaign.recurrence`): one row per occurrence, written in the
/// transaction that queues that run's deliveries, so a run happens once whoever asks and however
/// often (restarts, `work` beside `serve`). Not yet on PostgreSQL (docs/scale-out.md).
public protocol CampaignRunStore: AnyObject, Sendable {
    /// Runs one occurrence of a `recurring` campaign, once: records it (unique per campaign and
    /// occurrence) and, in the same transaction, copies the campaign's message for it and fans it
    /// out as `CampaignStore.fanOut` does — the list, segment, consent and suppressions as they are
    /// now — due now. An occurrence more than `[campaigns] grace` past `now` is recorded as
    /// `skipped`, nothing queued. With `last`, the campaign becomes `running` (then `finished` when
    /// its runs' deliveries settle). A run that reaches nobody is recorded with no deliveries.
    /// - Returns: the run recorded, or nil when it was recorded before (by anyone) or the campaign
    ///   is not `recurring` (paused, cancelled, over).
    /// - Throws: `CampaignError.unknown`.
    func runCampaign(_ name: String, occurrence: CampaignOccurrence, last: Bool, now: Int64) throws -> CampaignRun?
    /// - Returns: the campaign's recorded runs in series order, each with its deliveries counted by
    ///   state; empty for a campaign that is not recurring or has not run yet.
    func campaignRuns(campaign name: String) throws -> [CampaignRun]
    /// The campaign's latest recorded run, without its counts (the due-runs step asks it every few
    /// seconds, and counting a large run's deliveries each time would cost).
    /// - Returns: nil for a campaign that has not run yet, or is unknown.
    func latestCampaignRun(campaign name: String) throws -> CampaignRun?
}
