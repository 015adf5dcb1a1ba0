import Foundation
import Outreach
import Channels

struct CampaignsCreateCommand: Command {
    static let path = ["campaigns", "create"]
    static let summary = "create a campaign (validated, not started)"
    static let help = """
        outreachd campaigns create NAME --template T --list L --channel C… [--where KEY=VALUE]… [--at TIME [--now]]
                                   [--attach FILE]… [--data F.json] [--json]
                                   [--every RULE --at TIME [--until DATE] [--tz ZONE]]
          Checks everything before storing: the template renders for every language in the audience and
          every channel, attachments are readable (10 MB in all), channels exist. TIME is RFC 3339
          (2026-12-01T09:00:00+01:00) or "YYYY-MM-DD HH:MM" in [campaigns] time_zone (default: the
          machine's zone; the output names the zone used). With --at the campaign is scheduled and
          starts by itself at TIME (the daemon, or any `work`, fans it out then, with the list as it
          is then); without, it is a draft until `campaigns start`. A TIME in the past is refused
          unless --now (then it is a draft, sent at once when started).
          --where selects who of the list is reached: KEY=VALUE or KEY!=VALUE (excludes). The same key
          twice is OR (country=DE --where country=SE), different keys are AND. KEY is email, phone,
          locale, country, timezone, list (subscribed to another list too) or a contact attribute;
          country and locale ignore case, and locale=de also matches de-AT. See docs/campaigns.md.
          --every makes it recurring: RULE is an RRULE as for events (FREQ=MONTHLY;BYDAY=1TU, with
          INTERVAL, COUNT or UNTIL), --at its first run (one of the rule's times), --until the last day
          a run may fall on; times are read in --tz (default [campaigns] time_zone; without --every,
          --tz reads a one-off --at). Each run reaches the list as it is at that run.
        """
    static let valueOptions = Set([
        "--template", "--list", "--channel", "--where", "--at", "--attach", "--data",
    ]).union(CampaignSeriesOptions.valueOptions)
    static let flags: Set<String> = ["--json", "--now"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        let template = try args.require("--template")
        let list = try args.require("--list")
        let channelNames = args.values("--channel")
        guard !channelNames.isEmpty else { throw UsageError("--channel is required (one or more)") }
        let sendTime = try CampaignSeriesOptions.sendTime(args, context)
        let recurrence = try CampaignSeriesOptions.recurrence(args, zone: sendTime.zone)
        let at = try recurrence == nil ? args.value("--at").map { try Self.parseAt($0, sendTime) } : nil
        var data = JSON.object([:])
        if let f = args.value("--data") { data = try SendCommand.readJSON(f) }
        let planner = CampaignPlanner(
            store: try context.store, templates: try context.templateCheck, channels: try context.channels,
            templatesDirectory: try context.config.templatesDir)
        let c = try planner.create(
            CampaignDraft(
                name: name, template: template, list: list, channels: channelNames, conditions: args.values("--where"),
                sendAt: at, sendAtText: args.value("--at"), sendNow: args.has("--now"),
                attachments: args.values("--attach"), data: data, recurrence: recurrence))
        if args.has("--json") {
            context.printJSON(CampaignsStatusCommand.json(c, counts: [:]))
        } else {
            let selecting = c.segment.isEmpty ? "" : " where " + c.segment.clauses.joined(separator: ", ")
            context.print(
                "Created campaign \(c.name) (\(template) to \(list)\(selecting) over "
                    + "\(channelNames.joined(separator: ", "))). " + Self.next(c, sendTime))
        }
        return 0
    }

    /// `--at` read by `SendTime`, or a usage error.
    static func parseAt(_ text: String, _ sendTime: SendTime) throws -> Int64 {
        guard let (ms, _) = sendTime.parse(text) else {
            throw UsageError("--at '\(text)' is not a time like 2026-12-01T09:00:00+01:00 or \"2026-12-01 09:00\"")
        }
        return ms
    }

    /// What happens next: when a scheduled campaign starts (in the zone `--at` is read in), or how
    /// to start a draft.
    static func next(_ c: Campaign, _ sendTime: SendTime) -> String {
        if let r = c.recurrence, c.state == .recurring {
            let next = r.runs(after: nil, now: WallClock.nowMillis(), ahead: 3).next
            return "It runs by itself \(CampaignSeriesOptions.describe(r))"
                + (next.isEmpty ? "" : ": " + next.map { "\($0.local)" }.joined(separator: ", ") + "…")
                + "; each run reaches the list as it is then."
        }
        guard let at = c.sendAt, c.state == .scheduled else {
            return
                "Preview it with `outreachd campaigns preview \(c.name)`, start it with `outreachd campaigns start \(c.name)`."
        }
        return "It starts by itself at \(sendTime.describe(at)), \(WallClock.rfc3339(at)); preview it with "
            + "`outreachd campaigns preview \(c.name)`."
    }
}
