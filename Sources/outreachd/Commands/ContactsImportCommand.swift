import Foundation
import Outreach

struct ContactsImportCommand: Command {
    static let path = ["contacts", "import"]
    static let summary = "import contacts from a CSV file"
    static let help = """
        outreachd contacts import FILE.csv [--list L] [--skip-invalid] [--default-country CC] [--delimiter D] [--json]
          Columns: email, phone, name, locale, timezone; any other column becomes an attribute.
          Fields are separated by a comma, a semicolon (Excel in Denmark, Germany, Italy…) or a tab,
          detected from the header row; --delimiter sets it (`,` `;` or `tab`).
          Every row is checked; bad rows are listed with their line numbers, and without --skip-invalid
          nothing is imported when any row is bad. Importing the same file again changes nothing.
          Phone numbers without + get the calling code of --default-country (ISO 3166, e.g. DK), else
          of `default_country` in the configuration.
        """
    static let valueOptions: Set<String> = ["--list", "--default-country", "--delimiter"]
    static let flags: Set<String> = ["--skip-invalid", "--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let file = try args.positionals("FILE")[0]
        let delimiter = try args.value("--delimiter").map { v throws(UsageError) -> CSVDelimiter in
            guard let d = CSVDelimiter(argument: v) else {
                throw UsageError("--delimiter '\(v)' is not one of , ; tab")
            }
            return d
        }
        let data = try FileInput.bytes(file)
        guard let text = String(validating: data, as: UTF8.self) else { throw CLIError.notUTF8(path: file) }
        let config = try context.config
        let importer = ContactImporter(
            validator: ContactValidator(defaultCountry: args.value("--default-country") ?? config.defaultCountry),
            skipInvalid: args.has("--skip-invalid"), delimiter: delimiter)
        // Rows, counted as lines after the header: a quoted field with a line break makes it an
        // overestimate, which the last line corrects (`finish`).
        let estimate = max(1, data.reduce(0) { $1 == 10 ? $0 + 1 : $0 } - (data.last == 10 ? 1 : 0))
        var bar = ProgressBar(
            total: estimate, label: "importing", terminal: context.stderrIsTerminal && !args.has("--json"))
        let report: ContactImporter.Report
        do {
            report = try importer.run(
                text, into: try context.store, list: args.value("--list"),
                source: "import:" + (file as NSString).lastPathComponent,
                progress: { bar.update(min($0, estimate - 1)) })
        } catch let e as CSVError {
            throw CLIError.badFile(path: file, problem: e.description)
        }
        for e in report.rowErrors { Output.error("\(file):\(e.line): \(e.error.description)") }
        guard let counts = report.counts else { throw CLIError.badRows(path: file, count: report.rowErrors.count) }
        bar.finish(report.rows)
        if args.has("--json") {
            context.printJSON([
                "rows": JSON(report.rows), "inserted": JSON(counts.inserted), "updated": JSON(counts.updated),
                "unchanged": JSON(counts.unchanged), "kept_unsubscribed": JSON(counts.keptUnsubscribed),
                "skipped": JSON(report.rowErrors.count), "delimiter": .string(report.delimiter.character),
            ])
        } else {
            context.print(
                "Imported \(file): \(counts.inserted) new, \(counts.updated) updated, \(counts.unchanged) unchanged, "
                    + "\(counts.keptUnsubscribed) kept unsubscribed, \(report.rowErrors.count) skipped.")
        }
        return 0
    }
}
