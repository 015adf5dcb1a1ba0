import Foundation
import Outreach
import Channels

struct CampaignsCreateCommand: Command {
    static let path = ["campaigns", "create"]
    static let summary = "create a campaign (validated, not started)"
    static let help = """
        outreachd campaigns create NAME --template T --list L --channel C… [--where KEY=VALUE]… [--at TIME [--now]]
                                   [--attach FILE]… [--data F.json] [--json]
          Checks everything before storing: the template renders for every language in the audience and
          every channel, attachments are readable, channels exist. TIME is RFC 3339
          (2026-12-01T09:00:00+01:00) or "YYYY-MM-DD HH:MM" in the default time zone of the machine; a
          TIME in the past is refused unless --now (send at once when started).
          --where selects who of the list is reached: KEY=VALUE or KEY!=VALUE (excludes). The same key
          twice is OR (country=DE --where country=SE), different keys are AND. KEY is email, phone,
          locale, country, timezone, list (subscribed to another list too) or a contact attribute;
          country and locale ignore case, and locale=de also matches de-AT. See docs/campaigns.md.
        """
    static let valueOptions: Set<String> = [
        "--template", "--list", "--channel", "--where", "--at", "--attach", "--data",
    ]
    static let flags: Set<String> = ["--json", "--now"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        let template = try args.require("--template")
        let list = try args.require("--list")
        let channelNames = args.values("--channel")
        guard !channelNames.isEmpty else { throw UsageError("--channel is required (one or more)") }
        var at: Int64?
        if let t = args.value("--at") {
            guard let ms = WallClock.parseRFC3339(t) ?? CampaignsCreateCommand.parseLocal(t) else {
                throw UsageError("--at '\(t)' is not a time like 2026-12-01T09:00:00+01:00 or \"2026-12-01 09:00\"")
            }
            at = ms
        }
        var data = JSON.object([:])
        if let f = args.value("--data") { data = try SendCommand.readJSON(f) }
        let planner = CampaignPlanner(
            store: try context.store, templates: try context.templateCheck, channels: try context.channels,
            templatesDirectory: try context.config.templatesDir)
        let c = try planner.create(
            CampaignDraft(
                name: name, template: template, list: list, channels: channelNames, conditions: args.values("--where"),
                sendAt: at, sendAtText: args.value("--at"), sendNow: args.has("--now"),
                attachments: args.values("--attach"), data: data))
        if args.has("--json") {
            context.printJSON(CampaignsStatusCommand.json(c, counts: [:]))
        } else {
            let selecting = c.segment.isEmpty ? "" : " where " + c.segment.clauses.joined(separator: ", ")
            context.print(
                "Created campaign \(c.name) (\(template) to \(list)\(selecting) over "
                    + "\(channelNames.joined(separator: ", "))). Start it with `outreachd campaigns start \(c.name)`."
            )
        }
        return 0
    }

    static func parseLocal(_ s: String) -> Int64? {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.date(from: s).map { Int64($0.timeIntervalSince1970 * 1000) }
    }
}
