import Outreach

struct CampaignsListCommand: Command {
    static let path = ["campaigns", "list"]
    static let summary = "list campaigns (in one state)"
    static let help = """
        outreachd campaigns list [--state S] [--json]
          Every campaign, oldest first: name, state, list, channels, sent of total, send time (of a
          recurring campaign: its first run and its rule). S is one of draft, scheduled, recurring,
          running, paused, finished, cancelled.
        """
    static let valueOptions: Set<String> = ["--state"]
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        _ = try args.positionals()
        let state = try args.value("--state").map { s throws(UsageError) -> Campaign.State in
            guard let st = Campaign.State(rawValue: s.lowercased()) else {
                throw UsageError(
                    "--state '\(s)' is not one of " + Campaign.State.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return st
        }
        let store = try context.store
        let campaigns = try store.campaigns().filter { state == nil || $0.state == state }
        var rows: [(Campaign, [DeliveryState: Int])] = []
        for c in campaigns {
            rows.append((c, try CampaignSeriesOptions.counts(c, runs: try store.campaignRuns(campaign: c.name), store)))
        }
        if args.has("--json") {
            context.printJSON(.array(rows.map { CampaignsStatusCommand.json($0.0, counts: $0.1) }))
            return 0
        }
        for (c, counts) in rows {
            let sent = SendOutcome.handedOver.map { counts[$0] ?? 0 }.reduce(0, +)
            let fields =
                [
                    c.name, c.state.rawValue, c.list, c.channels.map(\.name).joined(separator: ","),
                    "\(sent)/\(counts.values.reduce(0, +)) sent", c.sendAt.map(WallClock.rfc3339) ?? "-",
                ] + (c.recurrence.map { ["every " + $0.every] } ?? [])
            context.print(fields.map(\.escapingControlCharacters).joined(separator: "\t"))
        }
        return 0
    }
}
