import Outreach

struct ContactsShowCommand: Command {
    static let path = ["contacts", "show"]
    static let summary = "show one contact, its lists, suppressions and recent bounces"
    static let help = "outreachd contacts show EMAIL-OR-PHONE-OR-ID [--json]"
    static let flags: Set<String> = ["--json"]
    /// The bounces shown; `suppressions show ADDRESS` lists them all.
    static let recentBounces = 5

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let key = try args.positionals("EMAIL-OR-PHONE-OR-ID")[0]
        let store = try context.store
        guard let c = try store.contact(matching: key) else { throw StoreError.unknownContact(key) }
        let memberships = try store.memberships(contactID: c.id!)
        let addresses = [c.email, c.phone].compactMap { $0 }
        let suppressions = try addresses.compactMap { try store.suppressionEntry(address: $0) }
        let scores = try addresses.compactMap { try store.bounceScore(address: $0) }
        let bounces = try addresses.flatMap { try store.bounces(since: nil, address: $0, limit: Self.recentBounces) }
            .sorted { $0.at < $1.at }.suffix(Self.recentBounces)
        if args.has("--json") {
            var o = c.json.objectValue!
            o["lists"] = .object(
                Dictionary(uniqueKeysWithValues: memberships.map { ($0.list, JSON.string($0.state.rawValue)) }))
            o["suppressions"] = .array(suppressions.map(\.json))
            o["bounce_scores"] = .object(
                Dictionary(uniqueKeysWithValues: scores.map { ($0.address, JSON.number(String($0.score))) }))
            o["bounces"] = .array(bounces.map(\.json))
            context.printJSON(.object(o))
            return 0
        }
        // Stored text shown escaped: a name or attribute must not drive the operator's terminal.
        func show(_ label: String, _ value: String) { context.print(label + value.escapingControlCharacters) }
        show("id:        ", String(c.id!))
        show("email:     ", c.email ?? "-")
        show("phone:     ", c.phone ?? "-")
        show("name:      ", c.name ?? "-")
        show("locale:    ", c.locale ?? "-")
        show("timezone:  ", c.timeZone ?? "-")
        if let p = c.preferredChannel { show("preferred: ", p.rawValue) }
        for k in c.attributes.keys.sorted() { show("attr:      ", "\(k)=\(c.attributes[k]!)") }
        for m in memberships { show("list:      ", "\(m.list) (\(m.state.rawValue), \(m.consent.source))") }
        for e in suppressions {
            show(
                "suppressed: ",
                "\(e.address) (\(e.reason.rawValue)) since \(WallClock.rfc3339(e.since))"
                    + (e.detail.map { ": \($0)" } ?? ""))
        }
        for s in scores {
            show("bounce score: ", "\(s.address) \(s.score), last counted \(WallClock.rfc3339(s.lastAt))")
        }
        for b in bounces {
            show(
                "bounce:    ",
                [WallClock.rfc3339(b.at), b.kind.rawValue, b.status ?? "-", b.action.rawValue].joined(separator: " "))
        }
        return 0
    }
}
