import Outreach

struct CampaignsUpdateCommand: Command {
    static let path = ["campaigns", "update"]
    static let summary = "change a campaign that was never started"
    static let help = """
        outreachd campaigns update NAME [--template T] [--where KEY=VALUE… | --everyone] [--data F.json]
                                   [--at TIME [--now] | --no-at] [--every RULE] [--until DATE] [--tz ZONE] [--json]
          Changes a draft, or a scheduled campaign that has not started, checked as `create` checks a
          new one. --where replaces every condition (give each again); --everyone reaches the whole
          list. --at schedules it (it starts by itself then; TIME as for create); --no-at makes it a
          draft again. A campaign that has started (or was cancelled) is refused: pause or cancel it.
          A recurring campaign before its first run takes --every, --at, --until and --tz (what is not
          given is kept); --no-at makes it a one-off draft.
        """
    static let valueOptions = Set(["--template", "--where", "--data", "--at"]).union(
        CampaignSeriesOptions.valueOptions)
    static let flags: Set<String> = ["--everyone", "--no-at", "--now", "--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        let whereClauses = args.values("--where")
        if args.has("--everyone"), !whereClauses.isEmpty {
            throw UsageError("--everyone and --where exclude each other")
        }
        if args.has("--no-at"), args.value("--at") != nil { throw UsageError("--no-at and --at exclude each other") }
        let sendTime = try CampaignSeriesOptions.sendTime(args, context)
        let existing = try context.store.campaign(named: name)
        let recurrence = try CampaignSeriesOptions.recurrence(args, zone: sendTime.zone, existing: existing)
        var changes = CampaignChanges(
            template: args.value("--template"),
            conditions: args.has("--everyone") ? [] : whereClauses.isEmpty ? nil : whereClauses,
            sendAtText: args.value("--at"), sendNow: args.has("--now"))
        if let recurrence {
            changes.recurrence = .some(recurrence)
        } else if let t = args.value("--at") {
            changes.sendAt = .some(try CampaignsCreateCommand.parseAt(t, sendTime))
        }
        if args.has("--no-at") {
            changes.sendAt = .some(nil)
            changes.recurrence = .some(nil)
        }
        if let f = args.value("--data") { changes.data = try SendCommand.readJSON(f) }
        let planner = CampaignPlanner(
            store: try context.store, templates: try context.templateCheck, channels: try context.channels,
            templatesDirectory: try context.config.templatesDir)
        let c = try planner.update(name, changes)
        if args.has("--json") {
            context.printJSON(CampaignsStatusCommand.json(c, counts: [:]))
        } else {
            context.print(
                "Updated campaign \(c.name) (\(c.state.rawValue)). " + CampaignsCreateCommand.next(c, sendTime))
        }
        return 0
    }
}
