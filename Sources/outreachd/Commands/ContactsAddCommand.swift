import Outreach

struct ContactsAddCommand: Command {
    static let path = ["contacts", "add"]
    static let summary = "add or update one contact"
    static let help = """
        outreachd contacts add --email E [--phone P] [--name N] [--locale L] [--tz ZONE] [--attr k=v]… [--list L] [--json]
          Adds a contact, or updates the one with the same email or phone. --list subscribes it (consent source: cli).
        """
    static let valueOptions: Set<String> = ["--email", "--phone", "--name", "--locale", "--tz", "--attr", "--list"]
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        _ = try args.positionals()
        let config = try context.config
        let contact = try ContactValidator(defaultCountry: config.defaultCountry).contact(
            email: args.value("--email"), phone: args.value("--phone"), name: args.value("--name"),
            locale: args.value("--locale"), timeZone: args.value("--tz"), attributes: try args.pairs("--attr"))
        let store = try context.store
        let counts = try store.upsertContacts([contact])
        if let list = args.value("--list") {
            try store.setMembership(list: list, contactIDs: counts.ids, state: .subscribed, consent: Consent(source: "cli"))
        }
        let stored = try store.contact(matching: String(counts.ids[0]))!
        if args.has("--json") {
            context.printJSON(stored.json)
        } else {
            context.print("\(counts.inserted > 0 ? "Added" : counts.updated > 0 ? "Updated" : "Unchanged") contact \(stored.id!) (\(stored.email ?? stored.phone ?? "")).")
        }
        return 0
    }
}
