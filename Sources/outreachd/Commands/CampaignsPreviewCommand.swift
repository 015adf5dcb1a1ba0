import Foundation
import Outreach

struct CampaignsPreviewCommand: Command {
    static let path = ["campaigns", "preview"]
    static let summary = "who a campaign reaches, and one message as it will be sent"
    static let help = """
        outreachd campaigns preview NAME [--contact ADDRESS] [--locale L] [--json]
          Counts who the campaign reaches if it starts now — per channel and language — and who is
          left out and why: unsubscribed or unconfirmed members, --where conditions, suppressed
          addresses (by reason), no address for the channel. The counts are the start's own rule:
          `campaigns start` then queues exactly these. Then one message per channel, rendered as it
          will be sent: for email every header (List-Unsubscribe included; DKIM is added when sent)
          and the text part. ADDRESS (a contact's id, email or phone) picks the recipient, else the
          first one; --locale renders in that language (and picks someone who speaks it). Nothing is
          stored or sent.
        """
    static let valueOptions: Set<String> = ["--contact", "--locale"]
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        if let l = args.value("--locale"), !Locales.isValid(l) {
            throw UsageError("--locale '\(l)' is not a language tag like da or pt-BR")
        }
        let store = try context.store
        guard let campaign = try store.campaign(named: name), let messageID = campaign.messageID else {
            throw CampaignError.unknown(name)
        }
        let audience = try store.audience(campaign: name)
        let channels = try context.channels
        let preview = CampaignPreview(store: store, composer: try context.composer, channels: channels)
        let samples = try preview.samples(
            of: campaign, audience: audience, contact: args.value("--contact"), locale: args.value("--locale"))
        let library = try context.templates
        let template = try store.message(id: messageID)?.template ?? ""
        let kinds = channels.mapValues(\.kind)
        /// The language a recipient's message is rendered in (the template's own fallback).
        func rendersIn(_ locale: String?, _ channel: String) -> String {
            kinds[channel].flatMap { library.resolvedLocale(template, kind: $0, locale: locale) }
                ?? library.defaultLocale
        }
        if args.has("--json") {
            context.printJSON(json(campaign, audience, samples, rendersIn: rendersIn))
            return 0
        }
        let selecting = campaign.segment.isEmpty ? "" : " where " + campaign.segment.clauses.joined(separator: ", ")
        context.print(
            "\(campaign.name): \(campaign.state.rawValue), \(template) to \(campaign.list)\(selecting) over "
                + campaign.channels.map(\.name).joined(separator: ", "))
        let selected =
            campaign.segment.isEmpty ? "all selected" : "\(audience.selected) selected by --where"
        context.print(
            "  \(campaign.list): \(audience.members) subscribed (\(selected)), \(audience.unsubscribed) unsubscribed, "
                + "\(audience.pending) waiting for confirmation")
        for ch in audience.channels {
            let field = ch.channel.attribute ?? ch.channel.address.rawValue
            let locales = ch.locales.map { l in
                let shown = l.locale ?? "no language"
                let used = rendersIn(l.locale, ch.channel.name)
                return "\(shown) \(l.count)" + (used == l.locale ? "" : " (in \(used))")
            }
            let noun = ch.channel.address == .room ? "post" : "recipient"
            context.print(
                "  \(ch.channel.name) (\(field)): \(ch.recipients) \(noun)\(ch.recipients == 1 ? "" : "s")"
                    + (ch.channel.address == .room ? "" : ": " + locales.joined(separator: ", ")))
            var out: [String] = []
            if ch.suppressedCount > 0 {
                let reasons = ch.suppressed.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
                out.append("\(ch.suppressedCount) suppressed (\(reasons.joined(separator: ", ")))")
            }
            if ch.noAddress > 0 { out.append("\(ch.noAddress) without \(addressNoun(ch.channel))") }
            if !out.isEmpty { context.print("    left out: " + out.joined(separator: ", ")) }
        }
        let f = audience.fanOut
        let skips = "\(f.suppressed) suppressed and \(f.noAddress) without an address"
        context.print(
            campaign.startedAt == nil
                ? "  Starting now queues \(f.queued), and skips \(skips)."
                : "  It reaches \(f.queued) now, skipping \(skips); started again, it queues only those not yet queued."
        )
        let attachments = try store.message(id: messageID)?.attachments ?? []
        for s in samples {
            let to = s.contact.map { ($0.name.map { "\($0) " } ?? "") + "<\(s.message.address)>" } ?? "the room"
            context.print(
                "\n\(s.channel) to \(to), in \(rendersIn(s.locale, s.channel)):")
            var lines: [String] = []
            if let headers = s.headers {
                lines += headers.components(separatedBy: "\r\n") + [""]
            } else if let subject = s.message.subject {
                lines += ["Subject: " + subject, ""]
            }
            lines += (s.message.text.isEmpty ? s.message.body ?? "" : s.message.text).components(separatedBy: "\n")
            if s.headers != nil, !attachments.isEmpty {
                lines += [
                    "", "Attached: " + attachments.map { ($0 as NSString).lastPathComponent }.joined(separator: ", "),
                ]
            }
            for l in lines { context.print("  | " + l.escapingControlCharacters) }
        }
        if samples.isEmpty { context.print("\nNo message to show: the campaign reaches nobody on any channel.") }
        return 0
    }

    /// `an email address`, `a phone number`, `a 'chat' attribute`.
    static func addressNoun(_ ch: CampaignChannel) -> String {
        switch ch.address {
        case .email: return "an email address"
        case .phone: return "a phone number"
        case .room: return "a room"
        case .attribute: return "a '\(ch.attribute ?? "")' attribute"
        }
    }

    static func json(
        _ c: Campaign, _ a: CampaignAudience, _ samples: [CampaignPreview.Sample],
        rendersIn: (String?, String) -> String
    ) -> JSON {
        let f = a.fanOut
        return [
            "name": .string(c.name), "state": .string(c.state.rawValue), "list": .string(c.list),
            "where": .array(c.segment.clauses.map { .string($0) }), "members": JSON(a.members),
            "selected": JSON(a.selected), "unsubscribed": JSON(a.unsubscribed), "pending": JSON(a.pending),
            "channels": .array(
                a.channels.map { ch in
                    [
                        "name": .string(ch.channel.name),
                        "address": .string(ch.channel.attribute ?? ch.channel.address.rawValue),
                        "recipients": JSON(ch.recipients), "suppressed": JSON(ch.suppressedCount),
                        "suppressed_reasons": .object(ch.suppressed.mapValues { JSON($0) }),
                        "no_address": JSON(ch.noAddress),
                        "locales": .array(
                            ch.locales.map { l in
                                [
                                    "locale": l.locale.map(JSON.string) ?? .null, "count": JSON(l.count),
                                    "renders_in": .string(rendersIn(l.locale, ch.channel.name)),
                                ]
                            }),
                    ]
                }),
            "total": ["recipients": JSON(f.queued), "suppressed": JSON(f.suppressed), "no_address": JSON(f.noAddress)],
            "samples": .array(
                samples.map { s in
                    var o: [String: JSON] = [
                        "channel": .string(s.channel), "to": .string(s.message.address),
                        "locale": .string(rendersIn(s.locale, s.channel)), "text": .string(s.message.text),
                    ]
                    if let subject = s.message.subject { o["subject"] = .string(subject) }
                    if let html = s.message.html { o["html"] = .string(html) }
                    if let body = s.message.body { o["body"] = .string(body) }
                    if let headers = s.headers { o["headers"] = .string(headers) }
                    if let id = s.contact?.id { o["contact"] = JSON(Int(id)) }
                    return .object(o)
                }),
        ]
    }
}
