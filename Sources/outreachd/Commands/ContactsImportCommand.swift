import Foundation
import Synchronization
import Outreach

struct ContactsImportCommand: Command {
    static let path = ["contacts", "import"]
    static let summary = "import contacts from a CSV file"
    static let help = """
        outreachd contacts import FILE.csv [--list L] [--skip-invalid] [--default-country CC] [--json]
          Columns: email, phone, name, locale, timezone; any other column becomes an attribute.
          Every row is checked; bad rows are listed with their line numbers, and without --skip-invalid
          nothing is imported when any row is bad. Importing the same file again changes nothing.
          Phone numbers without + get the calling code of --default-country (ISO 3166, e.g. DK), else
          of `default_country` in the configuration.
        """
    static let valueOptions: Set<String> = ["--list", "--default-country"]
    static let flags: Set<String> = ["--skip-invalid", "--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let file = try args.positionals("FILE")[0]
        guard let data = FileManager.default.contents(atPath: file) else { throw CLIError.unreadable(path: file) }
        guard let text = String(data: data, encoding: .utf8) else { throw CLIError.notUTF8(path: file) }
        let config = try context.config
        let validator = ContactValidator(defaultCountry: args.value("--default-country") ?? config.defaultCountry)
        let checked: ContactImport
        do { checked = try ContactImport(text, validator: validator) } catch {
            throw CLIError.badFile(path: file, problem: error.description)
        }
        let store = try context.store
        let list = args.value("--list")
        if let list, try store.list(named: list) == nil { throw StoreError.unknownList(list) }
        let skipInvalid = args.has("--skip-invalid")

        // The file is checked on one thread while the other writes what was checked, inside one
        // transaction that is rolled back if any row turns out bad.
        let chunks = BlockingQueue<[ContactRow]>(capacity: 4)
        let outcome = ParseOutcome()
        let estimate = max(1, text.utf8.count / 60)
        // Stored chunks go back to the parser thread to be freed: freeing 4,000 rows' strings is
        // measurable work, and the writing thread is the one the import waits for.
        let spent = Mutex<[[ContactRow]]>([])
        let parser = Thread {
            var reader = checked
            do throws(CSVError) {
                while let chunk = try reader.next(max: 4000, lanes: 2) {
                    chunks.push(chunk)
                    let done = spent.withLock { s in
                        defer { s = [] }; return s
                    }
                    _ = consume done
                }
            } catch {
                outcome.csvError = error
            }
            outcome.errors = reader.errors
            outcome.rows = reader.rows
            chunks.push(nil)
        }
        parser.start()
        var previous: [ContactRow]?
        var bar = ProgressBar(
            total: estimate, label: "importing", terminal: context.stderrIsTerminal && !args.has("--json"))
        let counts = try store.importContacts(
            list: list, source: "import:" + (file as NSString).lastPathComponent,
            next: {
                if let stored = previous { spent.withLock { $0.append(stored) } }
                previous = chunks.pop()
                return previous
            },
            shouldCommit: { outcome.csvError == nil && (skipInvalid || outcome.errors.isEmpty) },
            progress: { bar.update(min($0, estimate - 1)) })
        if let e = outcome.csvError { throw CLIError.badFile(path: file, problem: e.description) }
        for e in outcome.errors { Output.error("\(file):\(e.line): \(e.error.description)") }
        guard let counts else { throw CLIError.badRows(path: file, count: outcome.errors.count) }
        bar.update(estimate)
        if args.has("--json") {
            context.printJSON([
                "rows": JSON(outcome.rows), "inserted": JSON(counts.inserted), "updated": JSON(counts.updated),
                "unchanged": JSON(counts.unchanged), "kept_unsubscribed": JSON(counts.keptUnsubscribed),
                "skipped": JSON(outcome.errors.count),
            ])
        } else {
            context.print(
                "Imported \(file): \(counts.inserted) new, \(counts.updated) updated, \(counts.unchanged) unchanged, "
                    + "\(counts.keptUnsubscribed) kept unsubscribed, \(outcome.errors.count) skipped.")
        }
        return 0
    }
}

/// What the parser thread found, read by the writer after the closing chunk.
final class ParseOutcome: @unchecked Sendable {
    var errors: [ContactImport.RowError] = []
    var rows = 0
    var csvError: CSVError?
}
