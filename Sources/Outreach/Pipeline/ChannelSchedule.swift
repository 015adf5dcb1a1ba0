/// How the pipeline runs a channel, from its `[channels.NAME]` table and what the channel says of
/// itself: its pace, batch size, worker count, retries and quiet hours. `check`, `work` and `serve`
/// read it alike, so a value `serve` would refuse is found before a restart.
public struct ChannelSchedule: Sendable {
    /// The pace the pipeline keeps (`PacedChannel`, one pace for every node of a database); nil
    /// without a `rate`.
    public var rate: RateLimit?
    /// At most this many deliveries per batch (`batch_size`, else what the channel has on the wire).
    public var batchCap: Int?
    public var workers: Int
    public var policy: RetryPolicy
    public var quiet: QuietHours?

    /// - Parameters:
    ///   - section: the channel's table.
    ///   - channel: the channel built from it (it says its in-flight limit).
    /// - Throws: `ConfigError` naming the setting to fix.
    public init(section: ConfigSection, channel: any Channel) throws(ConfigError) {
        if let r = try section.string("rate") {
            guard let l = RateLimit(r) else {
                throw section.invalid("rate", "must be COUNT/UNIT like 50/s, 600/m or 1000/h")
            }
            rate = l
        }
        // A batch is completed in one transaction after the whole batch was sent, so a crash can
        // resend a whole batch: keep it to what is on the wire at once (the connections).
        batchCap = try section.int("batch_size") ?? channel.inFlightLimit
        if let c = batchCap, c < 1 { throw section.invalid("batch_size", "must be at least 1") }
        workers = try section.int("workers") ?? 1
        guard (1...64).contains(workers) else { throw section.invalid("workers", "must be between 1 and 64") }
        policy = try RetryPolicy(section: section)
        quiet = try QuietHours.from(section)
    }

    /// `ChannelSchedule` after the channel itself was built from `section`: then every setting
    /// has been read, and one that was not is refused as a typo.
    public static func checked(section: ConfigSection, channel: any Channel) throws(ConfigError) -> ChannelSchedule {
        let schedule = try ChannelSchedule(section: section, channel: channel)
        try section.refuseUnreadKeys()
        return schedule
    }
}
