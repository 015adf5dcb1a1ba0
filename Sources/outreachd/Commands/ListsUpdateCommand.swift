import Outreach

struct ListsUpdateCommand: Command {
    static let path = ["lists", "update"]
    static let summary = "change a list's title, template data, sign-up form or whether it is public"
    static let help = """
        outreachd lists update NAME [--title TEXT] [--title LANG=TEXT]… [--data F.json]
                                    [--thank-you-url URL] [--form-fields F1,F2] [--public|--no-public] [--json]
          --title TEXT is the title for every language, --title LANG=TEXT one language's (LANG= removes
          it); --data replaces the template data (a JSON object; {} removes it). Messages sent from now
          on use them, those already queued included. The name cannot change.
          --thank-you-url: where a browser goes after the public sign-up form (http or https; "" for
          the built-in page). --form-fields: what the form may set besides email, phone, name, locale,
          timezone and preferred_channel: country (ISO 3166 alpha-2) and attribute names ("" for none).
          On a double opt-in list the values are written when the person confirms (docs/core.md).
          --public lets anyone on any list join it from their preferences page; --no-public stops that
          (members stay).
        """
    static let valueOptions: Set<String> = ["--title", "--data", "--thank-you-url", "--form-fields"]
    static let flags: Set<String> = ["--public", "--no-public", "--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        let visibility: Bool? = args.has("--public") ? true : args.has("--no-public") ? false : nil
        if args.has("--public"), args.has("--no-public") { throw UsageError("give --public or --no-public, not both") }
        let newDetails = ["--title", "--data", "--thank-you-url", "--form-fields"].contains { args.value($0) != nil }
        guard newDetails || visibility != nil else {
            throw UsageError(
                "nothing to change; give --title, --data, --thank-you-url, --form-fields, --public or --no-public")
        }
        let store = try context.store
        guard let current = try store.list(named: name) else { throw StoreError.unknownList(name) }
        var list = current
        if newDetails { list = try store.updateList(named: name, details: try details(args, from: current.details)) }
        if let visibility { list = try store.setListPublic(named: name, isPublic: visibility) }
        if args.has("--json") {
            context.printJSON(ListsShowCommand.json(list))
        } else {
            context.print("Updated list \(list.name).")
        }
        return 0
    }

    /// `details` with the `--title`, `--data`, `--thank-you-url` and `--form-fields` of the command line applied.
    static func details(_ args: Arguments, from details: ListDetails) throws -> ListDetails {
        var d = details.applying(try EventsCreateCommand.titles(args))
        if let f = args.value("--data") { d.data = try FileInput.jsonObject(f) }
        if let u = args.value("--thank-you-url") { d.thankYouURL = try SignUpForm.thankYouURL(u) }
        if let f = args.value("--form-fields") { d.formFields = try SignUpForm.fieldNames(f) }
        return d
    }
}
