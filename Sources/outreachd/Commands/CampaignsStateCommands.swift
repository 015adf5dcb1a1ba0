import Outreach

/// `campaigns pause|resume|cancel NAME`.
/// The shared body of pause, resume and cancel.
func changeCampaign(_ args: Arguments, _ context: CommandContext, to state: Campaign.State, done: String) throws
    -> Int32
{
    let name = try args.positionals("NAME")[0]
    try context.store.setCampaignState(name, to: state, now: WallClock.nowMillis())
    context.print("\(done) \(name).")
    return 0
}

struct CampaignsPauseCommand: Command {
    static let path = ["campaigns", "pause"]
    static let summary = "hold a campaign's unsent deliveries"
    static let help = "outreachd campaigns pause NAME"
    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        try changeCampaign(args, context, to: .paused, done: "Paused")
    }
}

struct CampaignsResumeCommand: Command {
    static let path = ["campaigns", "resume"]
    static let summary = "release a paused campaign"
    static let help = "outreachd campaigns resume NAME"
    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        try changeCampaign(args, context, to: .running, done: "Resumed")
    }
}

struct CampaignsCancelCommand: Command {
    static let path = ["campaigns", "cancel"]
    static let summary = "cancel a campaign's unsent deliveries"
    static let help = "outreachd campaigns cancel NAME"
    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        try changeCampaign(args, context, to: .cancelled, done: "Cancelled")
    }
}
