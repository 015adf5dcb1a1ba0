import Foundation
import Outreach

struct ContactsImportCommand: Command {
    static let path = ["contacts", "import"]
    static let summary = "import contacts from a CSV file"
    static let help = """
        outreachd contacts import FILE.csv [--list L] [--skip-invalid] [--default-country CC] [--json]
          Columns: email, phone, name, locale, timezone; any other column becomes an attribute.
          Every row is checked first; without --skip-invalid nothing is imported when any row is bad.
          Importing the same file again changes nothing. Phone numbers without + get the calling code of
          --default-country (ISO 3166, e.g. DK), else of `default_country` in the configuration.
        """
    static let valueOptions: Set<String> = ["--list", "--default-country"]
    static let flags: Set<String> = ["--skip-invalid", "--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let file = try args.positionals("FILE")[0]
        guard let data = FileManager.default.contents(atPath: file) else {
            throw CLIError.unreadable(path: file)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw CLIError.notUTF8(path: file) }
        let config = try context.config
        let parsed: ContactImport
        do { parsed = try ContactImport.parse(text, validator: ContactValidator(defaultCountry: args.value("--default-country") ?? config.defaultCountry)) } catch {
            throw CLIError.badFile(path: file, problem: error.description)
        }
        for e in parsed.errors { Output.error("\(file):\(e.line): \(e.error.description)") }
        if !parsed.errors.isEmpty && !args.has("--skip-invalid") {
            throw CLIError.badRows(path: file, count: parsed.errors.count)
        }
        let store = try context.store
        if let list = args.value("--list"), try store.list(named: list) == nil { throw StoreError.unknownList(list) }
        var bar = ProgressBar(total: parsed.contacts.count, label: "importing", terminal: context.stderrIsTerminal && !args.has("--json"))
        // One transaction for the whole file keeps the import atomic.
        let counts = try store.importContacts(parsed.contacts, list: args.value("--list"), source: "import:" + (file as NSString).lastPathComponent) { bar.update($0) }
        bar.update(parsed.contacts.count)
        if args.has("--json") {
            context.printJSON(["rows": JSON(parsed.rows), "inserted": JSON(counts.inserted), "updated": JSON(counts.updated),
                               "unchanged": JSON(counts.unchanged), "skipped": JSON(parsed.errors.count)])
        } else {
            context.print("Imported \(file): \(counts.inserted) new, \(counts.updated) updated, \(counts.unchanged) unchanged, \(parsed.errors.count) skipped.")
        }
        return 0
    }
}
