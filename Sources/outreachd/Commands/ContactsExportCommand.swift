import Outreach

struct ContactsExportCommand: Command {
    static let path = ["contacts", "export"]
    static let summary = "print everything held about a person (JSON)"
    static let help = """
        outreachd contacts export EMAIL-OR-PHONE-OR-ID [--json]
          The contact, its list memberships with consent records, suppressions and deliveries, as JSON
          (for a data subject access request). JSON with or without --json, which every data command takes.
        """
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let key = try args.positionals("EMAIL-OR-PHONE-OR-ID")[0]
        let store = try context.store
        guard let c = try store.contact(matching: key) else { throw StoreError.unknownContact(key) }
        context.printJSON(try store.export(contactID: c.id!))
        return 0
    }
}
