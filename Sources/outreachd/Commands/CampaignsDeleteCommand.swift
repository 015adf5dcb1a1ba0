import Outreach

struct CampaignsDeleteCommand: Command {
    static let path = ["campaigns", "delete"]
    static let summary = "delete a campaign that was never started"
    static let help = """
        outreachd campaigns delete NAME
          Deletes a draft or a scheduled campaign that has not started, with its message; the name is
          free again. A started campaign is refused: cancel it instead (its deliveries stay for the
          report).
        """

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        try context.store.deleteCampaign(named: name)
        context.print("Deleted campaign \(name).")
        return 0
    }
}
