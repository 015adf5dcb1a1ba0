import Outreach

struct ListsListCommand: Command {
    static let path = ["lists", "list"]
    static let summary = "list all lists"
    static let help = "outreachd lists list [--json]"
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        _ = try args.positionals()
        let lists = try context.store.lists()
        if args.has("--json") { context.printJSON(.array(lists.map(ListsShowCommand.json))); return 0 }
        for l in lists {
            context.print(
                "\(l.name)\t\(l.counts[.subscribed] ?? 0) subscribed\(l.doubleOptIn ? "\tdouble opt-in" : "")"
                    + (l.isPublic ? "\tpublic" : ""))
        }
        return 0
    }
}
