import Outreach

/// `campaigns pause|resume|cancel NAME`.
struct CampaignsPauseCommand: Command {
    static let path = ["campaigns", "pause"]
    static let summary = "hold a campaign's unsent deliveries"
    static let help = "outreachd campaigns pause NAME"
    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        try context.store.setCampaignState(name, to: .paused, now: Clock.nowMillis())
        context.print("Paused \(name).")
        return 0
    }
}

struct CampaignsResumeCommand: Command {
    static let path = ["campaigns", "resume"]
    static let summary = "release a paused campaign"
    static let help = "outreachd campaigns resume NAME"
    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        try context.store.setCampaignState(name, to: .running, now: Clock.nowMillis())
        context.print("Resumed \(name).")
        return 0
    }
}

struct CampaignsCancelCommand: Command {
    static let path = ["campaigns", "cancel"]
    static let summary = "cancel a campaign's unsent deliveries"
    static let help = "outreachd campaigns cancel NAME"
    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        try context.store.setCampaignState(name, to: .cancelled, now: Clock.nowMillis())
        context.print("Cancelled \(name).")
        return 0
    }
}
