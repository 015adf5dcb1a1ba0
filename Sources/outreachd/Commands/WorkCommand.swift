import Foundation
import Outreach
import Channels

struct WorkCommand: Command {
    static let path = ["work"]
    static let summary = "send everything due now"
    static let help = """
        outreachd work --until-idle [--channel NAME]… [--json]
          Claims due deliveries, sends them on their channels and records the outcome, until nothing
          is due; deliveries waiting for a retry later are left for the daemon or a later run.
        """
    static let valueOptions: Set<String> = ["--channel"]
    static let flags: Set<String> = ["--until-idle", "--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        _ = try args.positionals()
        guard args.has("--until-idle") else { throw UsageError("use --until-idle (the daemon is `outreachd serve`)") }
        Allocator.configureForSending()
        // Event reminders that have fallen due are fanned out first (each once, whoever runs it).
        try context.store.fanOutDueReminders(now: WallClock.nowMillis())
        // Recurring campaigns whose run has come fan it out first (once, whoever else asks).
        let runs = try CampaignRunner(store: context.store).runDue(now: WallClock.nowMillis())
        if !args.has("--json") {
            for (name, run) in runs { Output.error(CampaignRunner.describe(run, of: name)) }
        }
        // Deliveries leased by a run (or daemon) of this host that was killed are taken over now,
        // not when their lease expires (`--until-idle` would otherwise stop without them).
        let resumed = try context.store.expireLeasesOfStoppedProcesses()
        if resumed > 0 && !args.has("--json") {
            Output.error("Resuming \(resumed) deliveries leased by a process of this host that is no longer running.")
        }
        let worker = try context.worker(only: args.values("--channel"))
        defer { worker.close() }
        let terminal = context.stderrIsTerminal && !args.has("--json")
        let summary = try worker.runUntilIdle { s in
            if terminal { Output.write("\rsent \(s.sent), retrying \(s.failed), dead \(s.dead)", to: 2) }
        }
        if terminal { Output.write("\n", to: 2) }
        if args.has("--json") {
            context.printJSON([
                "handled": JSON(summary.handled), "sent": JSON(summary.sent), "failed": JSON(summary.failed),
                "dead": JSON(summary.dead),
                "waiting_for_endpoint": JSON(summary.deferred),
                "channels_down": .array(worker.availability.all.keys.sorted().map { .string($0) }),
            ])
        } else {
            context.print("Sent \(summary.sent), will retry \(summary.failed), dead \(summary.dead).")
            for (name, o) in worker.availability.all.sorted(by: { $0.key < $1.key }) {
                context.print(
                    "Channel \(name) cannot be reached (\(o.lastError)); \(summary.deferred) deliveries wait for it without spending an attempt."
                )
            }
        }
        return 0
    }
}
