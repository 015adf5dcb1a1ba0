import Outreach

struct ListsShowCommand: Command {
    static let path = ["lists", "show"]
    static let summary = "show a list and its member counts"
    static let help = """
        outreachd lists show NAME [--json]
          Its member counts, title (per language) and the keys of its template data (--json: the data);
          how many subscribed members are suppressed (by reason) and bounced or complained in 30 days.
        """
    static let flags: Set<String> = ["--json"]

    /// How far back `lists show` counts members who bounced.
    static let bounceWindowMillis: Int64 = 30 * 86_400_000

    static func json(_ l: MailingList) -> JSON {
        [
            "name": .string(l.name), "double_opt_in": .bool(l.doubleOptIn),
            "title": .string(l.details.titles(name: l.name).text),
            "titles": l.details.titles(name: l.name).translationsJSON,
            "data": l.details.data,
            "members": .object(
                Dictionary(
                    uniqueKeysWithValues: MembershipState.allCases.map { ($0.rawValue, JSON(l.counts[$0] ?? 0)) })),
        ]
    }

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        let store = try context.store
        guard let l = try store.list(named: name) else { throw StoreError.unknownList(name) }
        let d = try store.deliverability(list: name, since: WallClock.nowMillis() - Self.bounceWindowMillis)
        if args.has("--json") {
            var o = json(l).objectValue!
            o["deliverability"] = d.json
            context.printJSON(.object(o))
            return 0
        }
        context.print("\(l.name)\(l.doubleOptIn ? " (double opt-in)" : "")")
        let titles = l.details.titles(name: l.name)
        if titles.text != l.name { context.print("  title: \(titles.text)") }
        for (tag, t) in titles.translations.sorted(by: { $0.key < $1.key }) { context.print("  title \(tag): \(t)") }
        if let keys = l.details.data.objectValue?.keys.sorted(), !keys.isEmpty {
            context.print("  data: " + keys.joined(separator: ", "))
        }
        for s in MembershipState.allCases { context.print("  \(s.rawValue): \(l.counts[s] ?? 0)") }
        let reasons = d.suppressed.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }
        context.print(
            "  suppressed: \(d.suppressedTotal)" + (reasons.isEmpty ? "" : " (" + reasons.joined(separator: ", ") + ")")
        )
        context.print("  bounced in the last 30 days: \(d.bounced)")
        return 0
    }
}
