import Foundation
import Outreach

struct CampaignsShowCommand: Command {
    static let path = ["campaigns", "show"]
    static let summary = "everything about one campaign"
    static let help = """
        outreachd campaigns show NAME [--json]
          The state, template, list and --where conditions, channels, send time (in [campaigns]
          time_zone), data, attachments, when it was created and started, and the deliveries by
          state (a finished campaign's sent, failed, dead and cancelled counts). A recurring campaign
          also shows its rule, each run with its own counts (or skipped), and the next runs ahead.
        """
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        let store = try context.store
        guard let c = try store.campaign(named: name), let messageID = c.messageID,
            let m = try store.message(id: messageID)
        else { throw CampaignError.unknown(name) }
        let runs = try store.campaignRuns(campaign: name)
        let counts = try CampaignSeriesOptions.counts(c, runs: runs, store)
        var cancelled = try store.cancelReasons(messageID: messageID)
        for id in runs.compactMap(\.messageID) {
            cancelled.merge(try store.cancelReasons(messageID: id), uniquingKeysWith: +)
        }
        let next = try CampaignRunner(store: store).nextRuns(c, now: WallClock.nowMillis())
        let sendTime = try SendTime(config: try context.config)
        if args.has("--json") {
            var o = CampaignsStatusCommand.json(c, counts: counts, cancelled: cancelled).objectValue ?? [:]
            o["template"] = .string(m.template)
            o["data"] = m.data
            o["attachments"] = .array(m.attachments.map { .string($0) })
            o["created_at"] = .string(WallClock.rfc3339(c.createdAt))
            if let s = c.startedAt { o["started_at"] = .string(WallClock.rfc3339(s)) }
            if let at = c.sendAt { o["send_at_local"] = .string(sendTime.describe(at)) }
            if let r = c.recurrence {
                o["recurrence"] = r.json
                o["runs"] = CampaignSeriesOptions.json(runs, r)
                o["next_runs"] = CampaignSeriesOptions.json(next: next, r)
            }
            context.printJSON(.object(o))
            return 0
        }
        let selecting = c.segment.isEmpty ? "" : " where " + c.segment.clauses.joined(separator: ", ")
        var lines = [
            "\(c.name): \(c.state.rawValue)",
            "  Template:  \(m.template)",
            "  List:      \(c.list)\(selecting)",
            "  Channels:  " + c.channels.map(\.name).joined(separator: ", "),
            "  Send time: " + schedule(c, sendTime),
            "  Created:   " + WallClock.rfc3339(c.createdAt)
                + (c.startedAt.map { "; started " + WallClock.rfc3339($0) } ?? ""),
        ]
        if let keys = m.data.objectValue?.keys, !keys.isEmpty {
            lines.append("  Data:      " + keys.sorted().joined(separator: ", "))
        }
        if !m.attachments.isEmpty {
            lines.append(
                "  Attached:  " + m.attachments.map { ($0 as NSString).lastPathComponent }.joined(separator: ", "))
        }
        if let r = c.recurrence { lines += CampaignSeriesOptions.lines(runs, next: next, r) }
        for l in lines { context.print(l.escapingControlCharacters) }
        CampaignsStatusCommand.printCounts(c, counts, cancelled, context)
        return 0
    }

    /// When it sends, in the zone `--at` is read in, and what starts it.
    static func schedule(_ c: Campaign, _ sendTime: SendTime) -> String {
        if let r = c.recurrence { return CampaignSeriesOptions.describe(r) + "; each run starts by itself" }
        guard let at = c.sendAt else { return c.startedAt == nil ? "none: `campaigns start` sends it" : "when started" }
        let when = sendTime.describe(at)
        switch (c.state, c.startedAt) {
        case (.scheduled, nil): return "\(when); it starts by itself then"
        case (.draft, nil):
            return "\(when); its time came and it reached nobody (see `campaigns preview`); start it or set a new --at"
        default: return when
        }
    }
}
