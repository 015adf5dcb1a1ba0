/// Campaigns: a message to a list, fanned out into the delivery queue by the store itself.
public protocol CampaignStore: AnyObject, Sendable {
    /// Stores the campaign and its message in one transaction.
    func createCampaign(_ campaign: Campaign, message: Message) throws -> Campaign
    func campaign(named name: String) throws -> Campaign?
    func campaigns() throws -> [Campaign]
    /// One delivery per subscribed member and channel; running it twice queues nobody twice.
    func fanOut(campaign name: String, now: Int64) throws -> FanOut
    /// Pauses (unsent deliveries held), resumes or cancels a campaign.
    func setCampaignState(_ name: String, to state: Campaign.State, now: Int64) throws
    /// The distinct languages of a list's subscribed members.
    func audienceLocales(list: String) throws -> [String]
    func sendTimeline(messageID: Int64, bucketMillis: Int64) throws -> [(start: Int64, count: Int)]
    func sendSpan(messageID: Int64) throws -> (first: Int64, last: Int64)?
    func failureReasons(messageID: Int64) throws -> [(state: DeliveryState, reason: String, count: Int)]
}
