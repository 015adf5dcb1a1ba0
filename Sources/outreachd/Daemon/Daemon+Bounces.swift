import Channels
import Outreach

extension Daemon {
    /// The service reading `[bounces] mailbox` into the bounce pipeline, or nil when none is set.
    /// Called after the pipeline was built, which reads the other keys of `[bounces]`: a key that
    /// nothing read is a typo, refused like one.
    static func bounceMailbox(
        _ config: Config, pipeline: any BounceSink, leadership: any DutyLeadership
    ) throws -> BounceMailboxService? {
        let settings = try BounceMailboxSettings.from(config)
        try config.sections["bounces"]?.refuseUnreadKeys()
        guard let settings else { return nil }
        let poller = BounceMailboxPoller(mailbox: IMAPMailbox(settings: settings), sink: pipeline, log: Log.sink)
        return BounceMailboxService(poller: poller, pollMillis: settings.pollMillis, log: Log.sink) {
            leadership.leads(.bounceMailbox)
        }
    }
}
