import Foundation
import Outreach

struct ContactsAddCommand: Command {
    static let path = ["contacts", "add"]
    static let summary = "add or update one contact"
    static let help = """
        outreachd contacts add (--email E | --phone P | both) [--name N] [--locale L] [--tz ZONE] [--attr k=v]…
                               [--preferred-channel email|sms] [--list L] [--evidence TEXT] [--resubscribe] [--json]
          Adds a contact, or updates the one with the same email or phone; one of --email or --phone is
          needed (a phone-only contact is reached by SMS). --list subscribes it (consent source: cli,
          with the evidence given). --preferred-channel: which one an event
          on an email and an SMS channel writes to someone with both addresses. Someone who unsubscribed from L is subscribed again only with --resubscribe and
          --evidence saying how they asked; without it the command is refused and changes nothing.
        """
    static let valueOptions: Set<String> = [
        "--email", "--phone", "--name", "--locale", "--tz", "--attr", "--list", "--evidence", "--preferred-channel",
    ]
    static let flags: Set<String> = ["--json", "--resubscribe"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        _ = try args.positionals()
        let config = try context.config
        let contact = try ContactValidator(defaultCountry: config.defaultCountry).contact(
            email: args.value("--email"), phone: args.value("--phone"), name: args.value("--name"),
            locale: args.value("--locale"), timeZone: args.value("--tz"), attributes: try args.pairs("--attr"),
            preferredChannel: args.value("--preferred-channel"))
        let store = try context.store
        let evidence = args.value("--evidence")
        let resubscribe = args.has("--resubscribe")
        if resubscribe, evidence?.trimmingCharacters(in: .whitespaces).isEmpty ?? true {
            throw UsageError(
                "--resubscribe needs --evidence \"TEXT\" saying how the person asked to be subscribed again")
        }
        // A refused resubscription must change nothing, so it is decided before the contact is written.
        let authority: ConsentAuthority = resubscribe ? .officerResubscribe : .officer
        if let list = args.value("--list"), let key = contact.email ?? contact.phone,
            let existing = try store.contact(matching: key), let id = existing.id,
            let m = try store.memberships(contactID: id).first(where: { $0.list == list }),
            MembershipDecision.decide(current: m.state, changedAt: m.at, requested: .subscribed, by: authority)
                == .refused
        {
            throw StoreError.resubscribeRefused(list: list, contact: key, since: m.at)
        }
        let counts = try store.upsertContacts([contact])
        if let list = args.value("--list") {
            try store.setMembership(
                list: list, contactIDs: counts.ids, state: .subscribed,
                consent: Consent(source: "cli", evidence: evidence),
                by: authority)
        }
        let stored = try store.contact(matching: String(counts.ids[0]))!
        if args.has("--json") {
            context.printJSON(stored.json)
        } else {
            context.print(
                "\(counts.inserted > 0 ? "Added" : counts.updated > 0 ? "Updated" : "Unchanged") contact \(stored.id!) (\(stored.email ?? stored.phone ?? ""))."
            )
        }
        return 0
    }
}
