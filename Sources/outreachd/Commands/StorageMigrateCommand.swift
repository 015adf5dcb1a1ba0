import Outreach

struct StorageMigrateCommand: Command {
    static let path = ["storage", "migrate"]
    static let summary = "apply the store's schema migrations"
    static let help = """
        outreachd storage migrate
          Applies the schema migrations this outreachd has and the store lacks, each in its own
          transaction. PostgreSQL ([storage] url = "postgresql://…"): run it once after installing or
          upgrading, before starting the nodes; `serve` and the other commands refuse a database
          that lacks one. Several runs at once apply each migration once. SQLite migrates as it
          opens: this only opens it.
        """

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        _ = try args.positionals()
        let r = try Composition.migrateStore(try context.config)
        switch r.from {
        case nil: context.print("\(r.store): at schema version \(r.to) (SQLite migrates as it opens).")
        case let from? where from != r.to: context.print("\(r.store): migrated from schema version \(from) to \(r.to).")
        default: context.print("\(r.store): at schema version \(r.to); nothing to migrate.")
        }
        return 0
    }
}
