import Outreach

struct QueueRetryCommand: Command {
    static let path = ["queue", "retry"]
    static let summary = "put dead or failed deliveries back in the queue"
    static let help = """
        outreachd queue retry ID… | --dead
          Retries the given deliveries, or with --dead every dead one; attempts start again from zero.
        """
    static let flags: Set<String> = ["--dead", "--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let ids = try args.positionals.map { p throws(UsageError) -> Int64 in
            guard let id = Int64(p) else { throw UsageError("'\(p)' is not a delivery id") }
            return id
        }
        guard args.has("--dead") != !ids.isEmpty else { throw UsageError("give delivery IDs or --dead") }
        let n = try context.store.retry(ids: args.has("--dead") ? nil : ids, now: WallClock.nowMillis())
        if args.has("--json") {
            context.printJSON(["retried": JSON(n)])
        } else {
            context.print("Queued \(n) deliver\(n == 1 ? "y" : "ies") again.")
        }
        return n == 0 && !ids.isEmpty ? 1 : 0
    }
}
