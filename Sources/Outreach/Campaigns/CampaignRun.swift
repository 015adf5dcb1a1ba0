/// One recorded run of a recurring campaign: its occurrence, what came of it, and its deliveries.
public struct CampaignRun: Sendable, Equatable {
    public enum State: String, Sendable {
        /// Fanned out at its time (or late, within `[campaigns] grace`), with the list as it was then.
        case ran
        /// Found more than `[campaigns] grace` past its time (the daemon was down, or the campaign
        /// paused): recorded, nothing sent, so it is never sent late.
        case skipped
    }

    /// The occurrence's position in the series, from 0.
    public var occurrence: Int
    /// When it was due (ms since 1970).
    public var at: Int64
    public var state: State
    /// The run's own message (a copy of the campaign's), whose deliveries are this run's; nil when skipped.
    public var messageID: Int64?
    /// When it was recorded (ms since 1970).
    public var ranAt: Int64
    /// This run's deliveries by state; empty when skipped or it reached nobody.
    public var counts: [DeliveryState: Int]

    public init(
        occurrence: Int, at: Int64, state: State, messageID: Int64? = nil, ranAt: Int64,
        counts: [DeliveryState: Int] = [:]
    ) {
        self.occurrence = occurrence
        self.at = at
        self.state = state
        self.messageID = messageID
        self.ranAt = ranAt
        self.counts = counts
    }
}
