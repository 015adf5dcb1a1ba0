/// Campaigns: a message to a list, fanned out into the delivery queue by the store itself.
/// Every write is one transaction, on disk when it returns. Besides the errors named, any
/// requirement can throw the backend's own (see `Store`).
public protocol CampaignStore: AnyObject, Sendable {
    /// Stores the campaign and its message in one transaction, as a draft — or `scheduled` when
    /// `campaign.state` is (it has a `sendAt`, and starts by itself then: see `DeliveryQueue.claim`).
    /// Nothing is queued yet.
    /// - Parameters:
    ///   - campaign: the campaign to store; its `id` and `messageID` are assigned.
    ///   - message: template, data and attachments; stored as list mail of `campaign.list`.
    /// - Returns: the campaign with its id and message id.
    /// - Throws: `CampaignError.exists` when the name is taken; `StoreError.unknownList`.
    func createCampaign(_ campaign: Campaign, message: Message) throws -> Campaign
    /// A `running` campaign none of whose deliveries is `queued`, `sending` or `failed` is read as
    /// `finished` (here and in `campaigns()`), the moment its last delivery settles.
    /// - Returns: the campaign, or nil when there is no such campaign.
    func campaign(named name: String) throws -> Campaign?
    /// - Returns: every campaign, in the order they were created, `finished` read as in `campaign(named:)`.
    func campaigns() throws -> [Campaign]
    /// One delivery per subscribed member the campaign's segment selects (`Segment`) and channel,
    /// one per room channel, due at the campaign's `sendAt` or now, whichever is later;
    /// suppressed addresses are stored as `suppressed`. Running it twice queues nobody twice. The
    /// campaign becomes `scheduled` when `sendAt` is ahead, else `running`. One transaction.
    /// - Parameter now: the current instant (ms since 1970).
    /// - Returns: how many were queued, suppressed, and had no address on a channel.
    /// - Throws: `CampaignError.unknown`; `CampaignError.cancelled` (nothing queued);
    ///   `CampaignError.reachesNobody` with the funnel counted when, after it, the campaign has
    ///   no delivery but suppressed ones (nothing queued, the campaign stays as it was).
    func fanOut(campaign name: String, now: Int64) throws -> FanOut
    /// Who the campaign reaches if it starts now, counted by the fan-out's own rule (the same
    /// members, segment, addresses and suppressions), writing nothing. For a campaign not yet
    /// started, `audience.fanOut` is what `fanOut` would return.
    /// - Throws: `CampaignError.unknown`.
    func audience(campaign name: String) throws -> CampaignAudience
    /// Changes a campaign nothing was queued for (never started, not cancelled): its segment and
    /// send time (`scheduled` with one, else `draft`) and its message's template, data and
    /// attachments. Name, list and channels stay. One transaction.
    /// - Returns: the campaign as stored.
    /// - Throws: `CampaignError.unknown`; `CampaignError.started` when something was queued for it
    ///   or it was cancelled (nothing changes).
    func updateCampaign(_ campaign: Campaign, message: Message) throws -> Campaign
    /// Deletes a campaign nothing was queued for, with its message; its name is free again.
    /// - Throws: `CampaignError.unknown`; `CampaignError.started` (nothing deleted).
    func deleteCampaign(named name: String) throws
    /// Pauses (unsent deliveries held), resumes (held deliveries due again, not before `now`) or
    /// cancels a campaign (unsent and held deliveries cancelled), in one transaction. Resuming a
    /// campaign never fanned out (held before its time) schedules it again while its time is ahead,
    /// else fans it out now (`CampaignError.reachesNobody` as `fanOut`).
    /// - Throws: `CampaignError.unknown`; `CampaignError.finished` for a campaign that has finished.
    func setCampaignState(_ name: String, to state: Campaign.State, now: Int64) throws
    /// The distinct languages of a list's subscribed members, sorted; members without one are
    /// left out (they get the default language). Empty for an unknown list.
    func audienceLocales(list: String) throws -> [String]
    /// Sent deliveries of a message per time bucket, for the report's timeline.
    /// - Parameter bucketMillis: the width of a bucket.
    /// - Returns: each bucket's start (ms) and count, in time order; empty when nothing was sent.
    func sendTimeline(messageID: Int64, bucketMillis: Int64) throws -> [(start: Int64, count: Int)]
    /// - Returns: the first and last send instants of a message's deliveries, or nil when none was sent.
    func sendSpan(messageID: Int64) throws -> (first: Int64, last: Int64)?
    /// - Returns: the message's dead, failed, suppressed and bounced deliveries, counted by state and
    ///   last error, the most frequent first.
    func failureReasons(messageID: Int64) throws -> [(state: DeliveryState, reason: String, count: Int)]
}
