import Outreach

struct QueueCancelCommand: Command {
    static let path = ["queue", "cancel"]
    static let summary = "cancel queued or failed deliveries"
    static let help = "outreachd queue cancel ID…"
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        guard !args.positionals.isEmpty else { throw UsageError("give at least one delivery ID") }
        let ids = try args.positionals.map { p throws(UsageError) -> Int64 in
            guard let id = Int64(p) else { throw UsageError("'\(p)' is not a delivery id") }
            return id
        }
        let n = try context.store.cancel(ids: ids)
        if args.has("--json") {
            context.printJSON(["cancelled": JSON(n)])
        } else {
            context.print("Cancelled \(n) deliver\(n == 1 ? "y" : "ies").")
        }
        return n == ids.count ? 0 : 1
    }
}
