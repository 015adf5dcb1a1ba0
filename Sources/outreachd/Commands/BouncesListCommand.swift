import Foundation
import Outreach

/// `bounces list`: what bounces and complaints came in, and what each did.
struct BouncesListCommand: Command {
    static let path = ["bounces", "list"]
    static let summary = "list recorded bounces, complaints, delays and auto-replies"
    static let help = """
        outreachd bounces list [--since DATE] [--address EMAIL] [--limit N] [--json]
          The recorded bounces, oldest first (the newest N, default 1000): when, kind (hard, soft,
          delayed, complaint, auto-reply, unknown), status, address, the delivery it was attributed to
          (or unattributed), what it did (suppressed, already-suppressed, scored, not-counted, recorded,
          unattributed), the score after it, where it came from and the server's words.
          DATE is RFC 3339 (2026-12-01T00:00:00Z) or a day (2026-12-01, from midnight UTC).
        """
    static let valueOptions: Set<String> = ["--since", "--address", "--limit"]
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        _ = try args.positionals()
        let since = try args.value("--since").map { d throws(UsageError) -> Int64 in
            guard let ms = Timestamps.parse(d) ?? Timestamps.parse(d + "T00:00:00Z") else {
                throw UsageError("--since must be a date like 2026-12-01 or 2026-12-01T09:00:00Z")
            }
            return ms
        }
        let limit = try args.value("--limit").map { v throws(UsageError) -> Int in
            guard let n = Int(v), n > 0 else { throw UsageError("--limit must be a positive number") }
            return n
        }
        let records = try context.store.bounces(since: since, address: args.value("--address"), limit: limit ?? 1000)
        if args.has("--json") {
            context.printJSON(.array(records.map(\.json)))
            return 0
        }
        for r in records {
            let fields = [
                WallClock.rfc3339(r.at), r.kind.rawValue, r.status ?? "-", r.address ?? "-",
                r.delivery.map { "delivery=\($0)" } ?? "unattributed", r.action.rawValue,
                r.score.map { "score=\($0)" } ?? "", r.source, r.diagnostic ?? "",
            ]
            context.print(Output.escapingControls(fields.joined(separator: "\t")))
        }
        return 0
    }
}
