import Channels
import Outreach

/// What `serve` reads from a `[channels.NAME]` table besides what the channel itself reads: its
/// pace, batch size, worker count, retries, quiet hours and receipt authentication (`serve` takes
/// its quiet hours from what SIGHUP reloads). `check`, `work` and the other commands read it too,
/// so a value `serve` would refuse is found before a restart.
struct ChannelSchedule: Sendable {
    /// Paced here for every type but SMTP, which keeps its own rate across its connections.
    var rate: RateLimit?
    var batchCap: Int?
    var workers: Int
    var policy: RetryPolicy
    var receipts: SMSReceiptAuth?
    var quiet: QuietHours?

    init(name: String, section: ConfigSection, publicURL: String?) throws(ConfigError) {
        let type = try section.requireString("type")
        if type != "smtp", let r = try section.string("rate") {
            guard let l = RateLimit(r) else { throw section.invalid("rate", "must be COUNT/UNIT like 50/s") }
            rate = l
        }
        // A batch is completed in one transaction after the whole batch was sent, so a crash can
        // resend a whole batch: keep it to what is on the wire at once (the connections).
        batchCap = try section.int("batch_size")
        if batchCap == nil, type != "outbox" { batchCap = try section.int("max_connections") ?? 4 }
        if let c = batchCap, c < 1 { throw section.invalid("batch_size", "must be at least 1") }
        workers = try section.int("workers") ?? 1
        guard (1...64).contains(workers) else { throw section.invalid("workers", "must be between 1 and 64") }
        policy = try RetryPolicy(section: section)
        receipts =
            ["kannel", "twilio"].contains(try section.string("preset") ?? "")
            ? try SMSReceiptAuth(name: name, section: section, publicURL: publicURL) : nil
        quiet = try QuietHours.from(section)
    }

    /// `ChannelSchedule` after the channel itself was built from `section`: then every setting
    /// has been read, and one that was not is refused as a typo.
    static func checked(name: String, section: ConfigSection, publicURL: String?) throws(ConfigError) -> ChannelSchedule
    {
        let schedule = try ChannelSchedule(name: name, section: section, publicURL: publicURL)
        try section.refuseUnreadKeys()
        return schedule
    }
}
