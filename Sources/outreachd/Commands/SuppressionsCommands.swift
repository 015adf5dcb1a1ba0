import Foundation
import Outreach

/// `suppressions list`: the addresses nothing is sent to, and why.
struct SuppressionsListCommand: Command {
    static let path = ["suppressions", "list"]
    static let summary = "list suppressed addresses and why"
    static let help = """
        outreachd suppressions list [--limit N] [--json]
          Every suppressed address, oldest first: address, reason (bounce, complaint, unsubscribed, stop,
          manual, erased), since when, and the detail (a bounce's status and the server's words). An erased
          person's entry is a hash and is not listed.
        """
    static let valueOptions: Set<String> = ["--limit"]
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        _ = try args.positionals()
        let limit = Int(args.value("--limit") ?? "") ?? 100_000
        let entries = try context.store.suppressions(limit: limit)
        if args.has("--json") {
            context.printJSON(.array(entries.map(\.json)))
            return 0
        }
        for e in entries {
            let fields = [e.address, e.reason.rawValue, WallClock.rfc3339(e.since), e.detail ?? ""]
            context.print(Output.escapingControls(fields.joined(separator: "\t")))
        }
        return 0
    }
}

/// `suppressions show`: one address's suppression, score, bounces and removals.
struct SuppressionsShowCommand: Command {
    static let path = ["suppressions", "show"]
    static let summary = "show why an address is suppressed: its bounces, score and removals"
    static let help = """
        outreachd suppressions show ADDRESS [--json]
          The address's suppression (reason, since, detail), its bounce score, every bounce recorded for
          it and every removal of its suppression (who said why). Exit status 1 when nothing is known.
        """
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let address = try args.positionals("ADDRESS")[0]
        let store = try context.store
        let entry = try store.suppressionEntry(address: address)
        let score = try store.bounceScore(address: address)
        let bounces = try store.bounces(since: nil, address: address, limit: 1000)
        let removals = try store.suppressionRemovals(address: address)
        if entry == nil, score == nil, bounces.isEmpty, removals.isEmpty {
            throw SuppressionLiftError.notSuppressed(address)
        }
        if args.has("--json") {
            context.printJSON([
                "address": .string(address), "suppression": entry?.json ?? .null,
                "score": score.map { .number(String($0.score)) } ?? .null,
                "bounces": .array(bounces.map(\.json)), "removals": .array(removals.map(\.json)),
            ])
            return 0
        }
        if let e = entry {
            context.print(
                Output.escapingControls(
                    "\(address): suppressed (\(e.reason.rawValue)) since \(WallClock.rfc3339(e.since))"
                        + (e.detail.map { ": \($0)" } ?? "")))
        } else {
            context.print(Output.escapingControls("\(address): not suppressed"))
        }
        if let score { context.print("score \(score.score), last counted \(WallClock.rfc3339(score.lastAt))") }
        for b in bounces {
            let fields = [
                WallClock.rfc3339(b.at), b.kind.rawValue, b.status ?? "-", b.action.rawValue, b.source,
                b.diagnostic ?? "",
            ]
            context.print(Output.escapingControls("bounce\t" + fields.joined(separator: "\t")))
        }
        for r in removals {
            let how = r.atTheirRequest ? "at their request" : "by an officer"
            context.print(
                Output.escapingControls(
                    "removed\t\(WallClock.rfc3339(r.at))\t\(r.reason.rawValue)\t\(how)\t\(r.note)"))
        }
        return 0
    }
}

/// `suppressions remove`: lifts a suppression by the rules of `SuppressionLift`, logged.
struct SuppressionsRemoveCommand: Command {
    static let path = ["suppressions", "remove"]
    static let summary = "mail an address again (a fixed mailbox), with a logged reason"
    static let help = """
        outreachd suppressions remove ADDRESS --reason TEXT [--resubscribe]
          Removes the address from the suppression list, logging TEXT (shown by `suppressions show` and in
          `contacts export`); a bounce's score starts again from 0. A bounce or manual suppression is the
          officer's to lift (the mailbox was fixed). A person's own no — a complaint, an unsubscribe from
          all mail, an SMS STOP, an erasure — is lifted only at their own request: --resubscribe, with
          TEXT saying how they asked. Lists they left stay left (`lists subscribe --resubscribe`).
        """
    static let valueOptions: Set<String> = ["--reason"]
    static let flags: Set<String> = ["--resubscribe"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let address = try args.positionals("ADDRESS")[0]
        let removal = try SuppressionLift.remove(
            address: address, note: args.value("--reason") ?? "", atTheirRequest: args.has("--resubscribe"),
            store: try context.store, now: WallClock.nowMillis())
        context.print(
            Output.escapingControls(
                "Removed the \(removal.reason.rawValue) suppression of \(removal.address); logged: \(removal.note)"))
        return 0
    }
}
