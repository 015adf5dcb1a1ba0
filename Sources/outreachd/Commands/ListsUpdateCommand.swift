import Outreach

struct ListsUpdateCommand: Command {
    static let path = ["lists", "update"]
    static let summary = "change a list's title, template data or whether it is public"
    static let help = """
        outreachd lists update NAME [--title TEXT] [--title LANG=TEXT]… [--data F.json] [--public|--no-public] [--json]
          --title TEXT is the title for every language, --title LANG=TEXT one language's (LANG= removes
          it); --data replaces the template data (a JSON object; {} removes it). Messages sent from now
          on use them, those already queued included. The name cannot change. --public lets anyone on
          any list join it from their preferences page; --no-public stops that (members stay).
        """
    static let valueOptions: Set<String> = ["--title", "--data"]
    static let flags: Set<String> = ["--public", "--no-public", "--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        let visibility: Bool? = args.has("--public") ? true : args.has("--no-public") ? false : nil
        if args.has("--public"), args.has("--no-public") { throw UsageError("give --public or --no-public, not both") }
        let newDetails = args.value("--title") != nil || args.value("--data") != nil
        guard newDetails || visibility != nil else {
            throw UsageError("nothing to change; give --title, --data, --public or --no-public")
        }
        let store = try context.store
        guard let current = try store.list(named: name) else { throw StoreError.unknownList(name) }
        var list = current
        if newDetails { list = try store.updateList(named: name, details: try details(args, from: current.details)) }
        if let visibility { list = try store.setListPublic(named: name, isPublic: visibility) }
        if args.has("--json") {
            context.printJSON(ListsShowCommand.json(list))
        } else {
            context.print("Updated list \(list.name).")
        }
        return 0
    }

    /// `details` with the `--title` and `--data` of the command line applied.
    static func details(_ args: Arguments, from details: ListDetails) throws -> ListDetails {
        var d = details.applying(try EventsCreateCommand.titles(args))
        if let f = args.value("--data") { d.data = try FileInput.jsonObject(f) }
        return d
    }
}
