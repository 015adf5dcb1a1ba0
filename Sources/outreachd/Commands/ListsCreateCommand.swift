import Outreach

struct ListsCreateCommand: Command {
    static let path = ["lists", "create"]
    static let summary = "create a list"
    static let help = """
        outreachd lists create NAME [--double-opt-in] [--json]
          With --double-opt-in, sign-ups through the API stay pending until confirmed.
        """
    static let flags: Set<String> = ["--double-opt-in", "--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." })
        else {
            throw UsageError("a list name uses letters, digits, - _ and . only")
        }
        let list = try context.store.createList(name: name, doubleOptIn: args.has("--double-opt-in"))
        if args.has("--json") {
            context.printJSON(ListsShowCommand.json(list))
        } else {
            context.print("Created list \(list.name).")
        }
        return 0
    }
}
