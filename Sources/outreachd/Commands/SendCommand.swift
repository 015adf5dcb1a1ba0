import Foundation
import Outreach
import Channels

struct SendCommand: Command {
    static let path = ["send"]
    static let summary = "send a template to addresses"
    static let help = """
        outreachd send TEMPLATE --to ADDRESS… [--channel NAME] [--data F.json] [--locale L] [--attach FILE]…
                              [--queue-only] [--json]
        outreachd send TEMPLATE --channel ROOM [--data F.json] [--locale L] [--queue-only] [--json]
          A room channel (target = "room") posts once to its room and needs no --to; given --to, the
          addresses are checked (an email, a phone or a contact) and the room still gets one post.
          F.json is any readable file, a pipe (--data <(…)) or a device.
          ADDRESS is an email, a phone number, or a contact's id/email/phone (then the contact's name,
          language and time zone are used). The message is queued durably, then sent now unless
          --queue-only. Without --channel, emails go to the first email channel and phones to the first
          SMS channel. When nothing was sent now it says why for each recipient, and exits 1 if nothing
          ever will be (suppressed, cancelled, refused for good); a message that still waits (quiet
          hours, a retry) exits 0. With --queue-only nothing is sent by design.
          --attach adds a file to an email (repeatable; 10 MB in all; read again when the message is
          built, so keep it in place until sent); refused when the message goes to a channel that is
          not email.
        """
    static let valueOptions: Set<String> = ["--to", "--channel", "--data", "--locale", "--attach"]
    static let flags: Set<String> = ["--queue-only", "--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let template = try args.positionals("TEMPLATE")[0]
        let to = args.values("--to")
        // Without --to only a room channel can send; the rule is RecipientAddress's.
        guard !to.isEmpty || args.value("--channel") != nil else { throw UsageError("--to is required") }
        let config = try context.config
        let store = try context.store
        let library = try context.templates
        guard library.has(template) else {
            throw CLIError.failed("There is no template '\(template)' in \(config.templatesDir).")
        }
        var data = JSON.object([:])
        if let f = args.value("--data") { data = try readJSON(f) }
        if let l = args.value("--locale"), !Locales.isValid(l) {
            throw UsageError("--locale '\(l)' is not a language tag like da or pt-BR")
        }

        let channels = try context.channels
        let validator = try context.validator
        var deliveries: [NewDelivery] = []
        var validated: Set<String> = []
        func add(_ delivery: NewDelivery) throws {
            var d = delivery
            if let l = args.value("--locale") { d.locale = Locales.canonical(l) }
            // A broken template is refused before anything is queued; once per channel and language.
            if validated.insert(d.channel + "|" + (d.locale ?? "")).inserted {
                try context.templateCheck.check(
                    template: template, channel: channels[d.channel]!, locale: d.locale, data: data)
            }
            deliveries.append(d)
        }
        if to.isEmpty {
            let channel = try pick(args.value("--channel"), forEmail: false, channels)
            guard let address = RecipientAddress.withoutRecipient(targets: [channel.target]) else {
                throw UsageError("--to is required: channel '\(channel.name)' sends to each person, not to a room")
            }
            try add(NewDelivery(channel: channel.name, address: address))
        }
        for raw in to {
            var d: NewDelivery
            if let c = try store.contact(matching: raw) {
                d = NewDelivery(
                    channel: "", address: "", contactID: c.id, name: c.name, locale: c.locale, timeZone: c.timeZone)
                let channel = try pick(
                    args.value("--channel"),
                    forEmail: c.email != nil && (args.value("--channel").map { channels[$0]?.kind == .email } ?? true),
                    channels)
                d.channel = channel.name
                d.address = RecipientAddress.resolve(c, on: channel) ?? ""
                guard !d.address.isEmpty else {
                    throw CLIError.failed("Contact \(raw) has no address for channel '\(channel.name)'.")
                }
            } else {
                let isEmail = raw.contains("@")
                if !isEmail, raw.unicodeScalars.contains(where: { CharacterSet.letters.contains($0) }) {
                    throw CLIError.failed(
                        "--to \(raw): not an email address (it has no @) and not a phone number (it has letters).")
                }
                let c = try validator.contact(
                    email: isEmail ? raw : nil, phone: isEmail ? nil : raw, name: nil, locale: nil, timeZone: nil,
                    attributes: [:])
                let channel = try pick(args.value("--channel"), forEmail: isEmail, channels)
                guard let address = RecipientAddress.resolve(adHoc: c, on: channel) else {
                    throw CLIError.failed(
                        "--to \(raw) is not an address channel '\(channel.name)' can send to (it sends \(channel.kind))."
                    )
                }
                d = NewDelivery(channel: channel.name, address: address)
            }
            try add(d)
        }
        let attachments = try Attachments.checked(args.values("--attach"))
        if !attachments.isEmpty { try Attachments.check(channels: deliveries.compactMap { channels[$0.channel] }) }
        let result = try store.enqueue(
            Message(template: template, data: data, kind: .transactional, attachments: attachments),
            deliveries: deliveries, idempotency: nil)
        var summary = BatchSummary()
        if !args.has("--queue-only") {
            let worker = try context.worker(only: Array(Set(deliveries.map(\.channel))))
            defer { worker.close() }
            summary = try worker.runUntilIdle()
        }
        let states = try store.deliveries(state: nil, messageID: result.messageID, limit: deliveries.count)
        if args.has("--json") {
            context.printJSON(["id": JSON(Int(result.messageID)), "deliveries": .array(states.map(\.json))])
        } else if args.has("--queue-only") {
            context.print(
                "Queued message \(result.messageID): \(result.inserted) deliver\(result.inserted == 1 ? "y" : "ies").")
        } else {
            for d in states {
                context.print(
                    "\(d.id)\t\(d.state.rawValue)\t\(d.channel)\t\(d.address)\(d.lastError.map { "\t" + $0 } ?? "")\(d.providerID.map { "\t" + $0 } ?? "")"
                )
            }
        }
        // Sent at once, and nothing went out: say why (suppressed, waiting for quiet hours to end,
        // …); exit 1 only when nothing ever will, so a script does not send again what still waits.
        if !args.has("--queue-only"), let why = SendOutcome.nothingSent(states) {
            Output.error("outreachd: " + why)
            if SendOutcome.willNeverGoOut(states) { return 1 }
        }
        return states.contains { $0.state == .dead } && summary.dead > 0 ? 1 : 0
    }

    static func pick(_ named: String?, forEmail: Bool, _ channels: [String: any Channel]) throws -> any Channel {
        if let named {
            guard let c = channels[named] else {
                throw UnknownChannel(named, configured: channels.keys)
            }
            return c
        }
        let kind: ChannelKind = forEmail ? .email : .sms
        let defaults = DefaultChannel.names(channels.values.map { ($0.name, $0.kind, $0.target) })
        if let name = defaults[kind], let c = channels[name] { return c }
        throw CLIError.failed("No \(kind.rawValue) channel is configured; name one with --channel.")
    }

    static func readJSON(_ path: String) throws -> JSON {
        let d = try FileInput.bytes(path)
        do { return try JSON.parse(d) } catch {
            throw CLIError.badFile(path: path, problem: "not valid JSON: \(error.description)")
        }
    }
}
