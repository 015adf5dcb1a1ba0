import Foundation
import Outreach
import Channels

struct CampaignsCreateCommand: Command {
    static let path = ["campaigns", "create"]
    static let summary = "create a campaign (validated, not started)"
    static let help = """
        outreachd campaigns create NAME --template T --list L --channel C… [--where attr=value]… [--at TIME]
                                   [--attach FILE]… [--data F.json] [--json]
          Checks everything before storing: the template renders for every language in the audience and
          every channel, attachments are readable, channels exist. TIME is RFC 3339
          (2026-12-01T09:00:00+01:00) or "YYYY-MM-DD HH:MM" in the default time zone of the machine.
        """
    static let valueOptions: Set<String> = [
        "--template", "--list", "--channel", "--where", "--at", "--attach", "--data",
    ]
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        let template = try args.require("--template")
        let list = try args.require("--list")
        let channelNames = args.values("--channel")
        guard !channelNames.isEmpty else { throw UsageError("--channel is required (one or more)") }
        let store = try context.store
        guard try store.list(named: list) != nil else { throw StoreError.unknownList(list) }
        let library = try context.templates
        guard library.has(template) else {
            throw CampaignError.invalid("There is no template '\(template)' in \(try context.config.templatesDir).")
        }
        let channels = try context.channels
        var campaignChannels: [CampaignChannel] = []
        for n in channelNames {
            guard let ch = channels[n] else {
                throw CampaignError.invalid(
                    "There is no channel '\(n)'; configured: \(channels.keys.sorted().joined(separator: ", ")).")
            }
            campaignChannels.append(CampaignChannel(channel: ch))
        }
        var at: Int64?
        if let t = args.value("--at") {
            guard let ms = WallClock.parseRFC3339(t) ?? CampaignsCreateCommand.parseLocal(t) else {
                throw UsageError("--at '\(t)' is not a time like 2026-12-01T09:00:00+01:00 or \"2026-12-01 09:00\"")
            }
            at = ms
        }
        for f in args.values("--attach") {
            guard FileManager.default.isReadableFile(atPath: f) else {
                throw CampaignError.invalid("The attachment \(f) cannot be read.")
            }
        }
        var data = JSON.object([:])
        if let f = args.value("--data") { data = try SendCommand.readJSON(f) }
        // Render once for every language in the audience and every channel: a broken template is
        // refused now, never discovered at send time.
        let locales = try store.audienceLocales(list: list)
        for ch in campaignChannels {
            for l in locales + [nil] {
                do {
                    try context.validate(template: template, channel: channels[ch.name]!, locale: l, data: data)
                } catch {
                    throw CampaignError.invalid(
                        "The template '\(template)' does not render for \(l ?? "the default language") on channel \(ch.name): \(error)."
                    )
                }
            }
        }
        let attachments = args.values("--attach").map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let c = try store.createCampaign(
            Campaign(
                name: name, list: list, channels: campaignChannels, filters: try args.pairs("--where"), sendAt: at),
            message: Message(template: template, data: data, kind: .list, listName: list, attachments: attachments))
        if args.has("--json") {
            context.printJSON(CampaignsStatusCommand.json(c, counts: [:]))
        } else {
            context.print(
                "Created campaign \(c.name) (\(template) to \(list) over \(channelNames.joined(separator: ", "))). Start it with `outreachd campaigns start \(c.name)`."
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
