import Outreach

struct CampaignsStartCommand: Command {
    static let path = ["campaigns", "start"]
    static let summary = "fan a campaign out into the queue"
    static let help = """
        outreachd campaigns start NAME [--json]
          Queues one delivery per subscribed member and channel (suppressed and unsubscribed people are
          skipped and counted). Starting twice queues nobody twice. The daemon or `work --until-idle` sends.
          A campaign that would reach nobody (an empty list, a --where nobody matches, no addresses for
          its channels, every address suppressed) is refused with the reason and stays a draft.
        """
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        let r = try context.store.fanOut(campaign: name, now: WallClock.nowMillis())
        if args.has("--json") {
            context.printJSON([
                "queued": JSON(r.queued), "suppressed": JSON(r.suppressed), "no_address": JSON(r.noAddress),
            ])
        } else {
            context.print(
                "Campaign \(name): \(r.queued) queued, \(r.suppressed) suppressed, \(r.noAddress) without an address for a channel."
            )
        }
        return 0
    }
}
