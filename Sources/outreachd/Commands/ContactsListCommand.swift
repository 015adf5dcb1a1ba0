import Outreach

struct ContactsListCommand: Command {
    static let path = ["contacts", "list"]
    static let summary = "list contacts (of a list)"
    static let help = """
        outreachd contacts list [--list L] [--limit N] [--json]
          With --list, only contacts subscribed to that list.
        """
    static let valueOptions: Set<String> = ["--list", "--limit"]
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        _ = try args.positionals()
        let limit = try args.value("--limit").map { v throws(UsageError) -> Int in
            guard let n = Int(v), n > 0 else { throw UsageError("--limit needs a positive number") }
            return n
        }
        let contacts = try context.store.contacts(inList: args.value("--list"), limit: limit)
        if args.has("--json") {
            context.printJSON(.array(contacts.map(\.json)))
            return 0
        }
        for c in contacts {
            let attrs = c.attributes.keys.sorted().map { "\($0)=\(c.attributes[$0]!)" }.joined(separator: " ")
            // Escaped, so a stored tab or line break cannot forge a column or a row.
            let fields = [
                String(c.id!), c.email ?? "-", c.phone ?? "-", c.name ?? "-", c.locale ?? "-", c.timeZone ?? "-", attrs,
            ]
            context.print(fields.map(\.escapingControlCharacters).joined(separator: "\t"))
        }
        return 0
    }
}
