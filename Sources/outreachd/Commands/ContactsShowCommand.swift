import Outreach

struct ContactsShowCommand: Command {
    static let path = ["contacts", "show"]
    static let summary = "show one contact and its lists"
    static let help = "outreachd contacts show EMAIL-OR-PHONE-OR-ID [--json]"
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let key = try args.positionals("EMAIL-OR-PHONE-OR-ID")[0]
        let store = try context.store
        guard let c = try store.contact(matching: key) else { throw StoreError.unknownContact(key) }
        let memberships = try store.memberships(contactID: c.id!)
        if args.has("--json") {
            var o = c.json.objectValue!
            o["lists"] = .object(
                Dictionary(uniqueKeysWithValues: memberships.map { ($0.list, JSON.string($0.state.rawValue)) }))
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
        return 0
    }
}
