import Outreach

struct ListsShowCommand: Command {
    static let path = ["lists", "show"]
    static let summary = "show a list and its member counts"
    static let help = "outreachd lists show NAME [--json]"
    static let flags: Set<String> = ["--json"]

    static func json(_ l: MailingList) -> JSON {
        [
            "name": .string(l.name), "double_opt_in": .bool(l.doubleOptIn),
            "members": .object(
                Dictionary(
                    uniqueKeysWithValues: MembershipState.allCases.map { ($0.rawValue, JSON(l.counts[$0] ?? 0)) })),
        ]
    }

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        guard let l = try context.store.list(named: name) else { throw StoreError.unknownList(name) }
        if args.has("--json") { context.printJSON(json(l)); return 0 }
        context.print("\(l.name)\(l.doubleOptIn ? " (double opt-in)" : "")")
        for s in MembershipState.allCases { context.print("  \(s.rawValue): \(l.counts[s] ?? 0)") }
        return 0
    }
}
