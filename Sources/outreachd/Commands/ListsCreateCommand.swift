import Outreach

struct ListsCreateCommand: Command {
    static let path = ["lists", "create"]
    static let summary = "create a list"
    static let help = """
        outreachd lists create NAME [--double-opt-in] [--public] [--title TEXT] [--title LANG=TEXT]… [--data F.json]
                                    [--thank-you-url URL] [--form-fields F1,F2] [--json]
          With --double-opt-in, sign-ups through the API stay pending until confirmed. With --public,
          anyone on any list may join it from their preferences page (not by default).
          NAME stays a slug (letters, digits, - _ .); recipients read the title (list.title), in the
          language of the message when --title LANG=TEXT gives one (--title da="Nyhedsbrev"), else
          --title TEXT, else NAME. F.json is a JSON object every message to the list sees (its
          confirmations, campaigns and events), under the message's own data. --thank-you-url and
          --form-fields shape the public sign-up form (see lists update --help).
        """
    static let valueOptions: Set<String> = ["--title", "--data", "--thank-you-url", "--form-fields"]
    static let flags: Set<String> = ["--double-opt-in", "--public", "--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == "." })
        else {
            throw UsageError("a list name uses letters, digits, - _ and . only")
        }
        let details = try ListsUpdateCommand.details(args, from: ListDetails())
        let list = try context.store.createList(
            name: name, doubleOptIn: args.has("--double-opt-in"), isPublic: args.has("--public"), details: details)
        if args.has("--json") {
            context.printJSON(ListsShowCommand.json(list))
        } else {
            context.print("Created list \(list.name).")
        }
        return 0
    }
}
