import Foundation
import Outreach

struct StorageCopyCommand: Command {
    static let path = ["storage", "copy"]
    static let summary = "copy every table of one store into a new, empty one"
    static let help = """
        outreachd storage copy --from STORE --to STORE [--from-password-file FILE] [--to-password-file FILE] [--json]
          Copies every table (contacts, lists, consent, suppressions, bounces, messages, deliveries,
          campaigns and their runs, events and reminders, the hook outbox, idempotency keys) from one
          store into another, ids kept, in one transaction on the target; then counts each table's rows
          on both sides and prints them. STORE is a SQLite file (PATH or sqlite:PATH) or a
          postgresql:// URL. Stop every outreachd using the source first; the source is only read.
          The target must be empty: a SQLite file is created and migrated, a PostgreSQL database is
          migrated (as `outreachd storage migrate`). A delivery being sent (`sending`) is copied as
          queued, due again; queued ones stay queued. Hook triggers are made again when the daemon
          starts on the target.
          --from-password-file, --to-password-file  the PostgreSQL password, when the URL has none;
                                 without it, [storage] password_file when [storage] url is that URL.
          --json                 the counts as JSON
        """
    static let valueOptions: Set<String> = ["--from", "--to", "--from-password-file", "--to-password-file"]
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        _ = try args.positionals()
        let from = try args.require("--from")
        let to = try args.require("--to")
        if from == to { throw UsageError("--from and --to name the same store") }
        let source = try Composition.openDump(
            from, password: try password(args.value("--from-password-file"), for: from, context), target: false)
        let target = try Composition.openDump(
            to, password: try password(args.value("--to-password-file"), for: to, context), target: true)
        let counts = try StoreCopy(from: source, to: target).run()
        if args.has("--json") {
            context.printJSON(
                .object([
                    "from": .string(source.dumpName), "to": .string(target.dumpName),
                    "tables": .object(
                        Dictionary(
                            uniqueKeysWithValues: counts.map {
                                ($0.table, JSON.object(["source": JSON($0.source), "target": JSON($0.target)]))
                            })),
                ]))
            return 0
        }
        context.print("Copied \(source.dumpName) into \(target.dumpName); rows per table (source = target):")
        for c in counts {
            context.print("  " + c.table.padding(toLength: 22, withPad: " ", startingAt: 0) + String(c.target))
        }
        return 0
    }

    /// The password file's content (trailing newline removed); else `[storage] password_file`'s
    /// when `[storage] url` is `location`; else none (the URL's, `~/.pgpass`, peer authentication).
    static func password(_ file: String?, for location: String, _ context: CommandContext) throws -> String? {
        guard StoreError.isPostgres(location) else {
            if file != nil { throw UsageError("a password file is only for a postgresql:// store") }
            return nil
        }
        guard let file else {
            let config = try context.config
            return config.storageURL == location ? config.storagePassword : nil
        }
        guard let data = FileManager.default.contents(atPath: file), var text = String(data: data, encoding: .utf8)
        else { throw UsageError("cannot read the password file \(file)") }
        while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
        return text
    }
}
