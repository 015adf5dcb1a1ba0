import Foundation
import Outreach

struct ListsSubscribeCommand: Command {
    static let path = ["lists", "subscribe"]
    static let summary = "subscribe contacts to a list"
    static let help = """
        outreachd lists subscribe NAME ADDRESS… [--evidence TEXT] [--resubscribe --evidence TEXT]
          ADDRESS is an email, phone or contact id; unknown emails and phones become new contacts.
          The consent is recorded with source "cli" and the evidence given. Someone who unsubscribed
          is subscribed again only with --resubscribe and --evidence saying how they asked for it;
          without it the command is refused and changes nothing.
        """
    static let valueOptions: Set<String> = ["--evidence"]
    static let flags: Set<String> = ["--resubscribe"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        try ListsSubscribeCommand.change(args, context, to: .subscribed)
    }

    static func change(_ args: Arguments, _ context: CommandContext, to state: MembershipState) throws -> Int32 {
        guard args.positionals.count >= 2 else { throw UsageError("give a list NAME and at least one ADDRESS") }
        let name = args.positionals[0]
        let store = try context.store
        guard try store.list(named: name) != nil else { throw StoreError.unknownList(name) }
        let validator = ContactValidator(defaultCountry: try context.config.defaultCountry)
        var ids: [Int64] = []
        for a in args.positionals.dropFirst() {
            if let c = try store.contact(matching: a) {
                ids.append(c.id!)
            } else if state == .subscribed {
                let isEmail = a.contains("@")
                let c = try validator.contact(
                    email: isEmail ? a : nil, phone: isEmail ? nil : a, name: nil, locale: nil, timeZone: nil,
                    attributes: [:])
                if let existing = try store.contact(matching: c.email ?? c.phone!) {
                    ids.append(existing.id!)
                } else {
                    ids.append(contentsOf: try store.upsertContacts([c]).ids)
                }
            } else {
                throw StoreError.unknownContact(a)
            }
        }
        let resubscribe = args.has("--resubscribe")
        let evidence = args.value("--evidence")
        if resubscribe, evidence?.trimmingCharacters(in: .whitespaces).isEmpty ?? true {
            throw UsageError(
                "--resubscribe needs --evidence \"TEXT\" saying how the person asked to be subscribed again")
        }
        let authority: ConsentAuthority =
            state == .unsubscribed ? .person : resubscribe ? .officerResubscribe : .officer
        try store.setMembership(
            list: name, contactIDs: ids, state: state, consent: Consent(source: "cli", evidence: evidence),
            by: authority)
        context.print(
            "\(state == .subscribed ? "Subscribed" : "Unsubscribed") \(ids.count) contact\(ids.count == 1 ? "" : "s") \(state == .subscribed ? "to" : "from") \(name)."
        )
        return 0
    }
}
