import Foundation
import Outreach

struct CampaignsStatusCommand: Command {
    static let path = ["campaigns", "status"]
    static let summary = "totals by delivery state"
    static let help = """
        outreachd campaigns status NAME [--watch] [--json]
          The state (draft, scheduled, recurring, running, paused, finished, cancelled; finished once no delivery
          is queued, sending or waiting for a retry). `total` is recipients × channels; then a count for
          each delivery state. --watch redraws a progress bar until nothing is queued, sending or failed.
        """
    static let flags: Set<String> = ["--json", "--watch"]

    static func json(_ c: Campaign, counts: [DeliveryState: Int], cancelled: [CancelReason: Int] = [:]) -> JSON {
        var o: [String: JSON] = [
            "name": .string(c.name), "state": .string(c.state.rawValue), "list": .string(c.list),
            "channels": .array(c.channels.map { .string($0.name) }), "total": JSON(counts.values.reduce(0, +)),
        ]
        for s in DeliveryState.allCases { o[s.rawValue] = JSON(counts[s] ?? 0) }
        o["pending"] = JSON(pending(counts))
        o["where"] = .array(c.segment.clauses.map { .string($0) })
        if let at = c.sendAt { o["send_at"] = .string(WallClock.rfc3339(at)) }
        if let r = c.recurrence { o["every"] = .string(r.every) }
        o["missed_its_time"] = .bool(c.missedItsTime)
        o["cancelled_reasons"] = .object(
            Dictionary(uniqueKeysWithValues: cancelled.map { ($0.key.rawValue, JSON($0.value)) }))
        return .object(o)
    }

    /// `Finished: 47 sent (12 delivered), 0 failed, 1 dead, 2 cancelled.`
    static func finishedSummary(_ counts: [DeliveryState: Int]) -> String {
        let n = { (s: DeliveryState) in counts[s] ?? 0 }
        let sent = SendOutcome.handedOver.map(n).reduce(0, +)
        let after = [DeliveryState.delivered, .bounced, .complained].filter { n($0) > 0 }.map {
            "\(n($0)) \($0.rawValue)"
        }
        var parts = ["\(sent) sent" + (after.isEmpty ? "" : " (" + after.joined(separator: ", ") + ")")]
        parts += [DeliveryState.failed, .dead, .cancelled].map { "\(n($0)) \($0.rawValue)" }
        if n(.suppressed) > 0 { parts.append("\(n(.suppressed)) suppressed") }
        return "Finished: " + parts.joined(separator: ", ") + "."
    }

    /// Deliveries not yet settled: queued, being sent, or failed and due again.
    static func pending(_ counts: [DeliveryState: Int]) -> Int {
        (counts[.queued] ?? 0) + (counts[.sending] ?? 0) + (counts[.failed] ?? 0)
    }

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        let store = try context.store
        guard var c = try store.campaign(named: name) else { throw CampaignError.unknown(name) }
        var counts = try CampaignSeriesOptions.counts(c, runs: try store.campaignRuns(campaign: name), store)
        if args.has("--watch") {
            let total = counts.values.reduce(0, +)
            var bar = ProgressBar(total: max(total, 1), label: name, terminal: context.stderrIsTerminal)
            while true {
                counts = try CampaignSeriesOptions.counts(c, runs: try store.campaignRuns(campaign: name), store)
                let left = Self.pending(counts)
                bar.update(total - left)
                if left == 0 { break }
                Thread.sleep(forTimeInterval: 0.5)
            }
            // Watched to the end, the state is read again: it has finished meanwhile.
            c = try store.campaign(named: name) ?? c
        }
        let cancelled = try store.cancelReasons(messageID: c.messageID)
        if args.has("--json") { context.printJSON(json(c, counts: counts, cancelled: cancelled)); return 0 }
        let selecting = c.segment.isEmpty ? "" : " where " + c.segment.clauses.joined(separator: ", ")
        context.print(
            "\(c.name): \(c.state.rawValue), \(c.list)\(selecting) over \(c.channels.map(\.name).joined(separator: ", "))"
                + (c.sendAt.map { " at \(WallClock.rfc3339($0))" } ?? ""))
        printCounts(c, counts, cancelled, context)
        return 0
    }

    /// The finished summary, a held campaign's note, the total and every state's count.
    static func printCounts(
        _ c: Campaign, _ counts: [DeliveryState: Int], _ cancelled: [CancelReason: Int], _ context: CommandContext
    ) {
        if c.state == .finished { context.print("  " + finishedSummary(counts)) }
        if c.missedItsTime {
            context.print(
                "  It was found far past its time and is held; send it with `outreachd campaigns resume \(c.name)` or cancel it."
            )
        }
        context.print("  total       \(counts.values.reduce(0, +))")
        for s in DeliveryState.allCases where (counts[s] ?? 0) > 0 {
            context.print("  " + s.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0) + String(counts[s]!))
        }
        for (r, n) in cancelled.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
            context.print("    \(r.rawValue): \(n)")
        }
    }
}
