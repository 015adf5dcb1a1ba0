import Outreach

struct ContactsEraseCommand: Command {
    static let path = ["contacts", "erase"]
    static let summary = "erase a person's data, keeping a hashed suppression"
    static let help = """
        outreachd contacts erase EMAIL-OR-PHONE-OR-ID
          Deletes the contact, its memberships and consent records, cancels its pending deliveries and
          removes its address from delivery history. Only a hash of each address stays, as a suppression,
          so the person is never contacted again by a later import.
        """

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let key = try args.positionals("EMAIL-OR-PHONE-OR-ID")[0]
        let store = try context.store
        guard let c = try store.contact(matching: key) else { throw StoreError.unknownContact(key) }
        let copies = try store.eraseContact(id: c.id!)
        // Channels that keep what they sent (the outbox) remove the person's copies too.
        for (name, channel) in try context.channels {
            channel.forget(deliveryIDs: copies.filter { $0.channel == name }.map(\.id))
        }
        context.print("Erased contact \(c.id!).")
        return 0
    }
}
