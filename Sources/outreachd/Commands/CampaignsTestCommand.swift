import Outreach

struct CampaignsTestCommand: Command {
    static let path = ["campaigns", "test"]
    static let summary = "send a campaign's message to one address to look at"
    static let help = """
        outreachd campaigns test NAME --to ADDRESS [--channel C] [--locale L] [--json]
          Sends the campaign's real message — template, data, attachments, footer and unsubscribe
          link, DKIM — through the queue and the channel to ADDRESS only (an email or phone, or a
          contact, whose name and language are then used), with "[Test] " before the subject (or,
          with no subject, the text). It is a message of its own: the campaign's counts, report and
          state do not include it, and it may be sent in any state. ADDRESS need not be on the list;
          it is checked as transactional mail (a bounce or complaint suppression stops it, an
          unsubscribe does not). The channel is the campaign's first that can send to ADDRESS
          (an email's first). Like `send`, the channel's other due deliveries go out too.
        """
    static let valueOptions: Set<String> = ["--to", "--channel", "--locale"]
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        let to = try args.require("--to")
        if let l = args.value("--locale"), !Locales.isValid(l) {
            throw UsageError("--locale '\(l)' is not a language tag like da or pt-BR")
        }
        let store = try context.store
        let test = CampaignTestSend(
            store: store, channels: try context.channels, templates: try context.templateCheck,
            validator: try context.validator)
        let queued = try test.queue(
            campaign: name, to: to, channel: args.value("--channel"), locale: args.value("--locale"))
        let worker = try context.worker(only: [queued.delivery.channel])
        defer { worker.close() }
        _ = try worker.runUntilIdle()
        let states = try store.deliveries(state: nil, messageID: queued.messageID, limit: 1)
        if args.has("--json") {
            context.printJSON(["id": JSON(Int(queued.messageID)), "deliveries": .array(states.map(\.json))])
        } else if let why = SendOutcome.nothingSent(states) {
            context.print("Test of \(name) to \(queued.delivery.address) over \(queued.delivery.channel): not sent.")
            Output.error("outreachd: " + why)
        } else {
            context.print(
                "Sent a test of \(name) to \(queued.delivery.address) over \(queued.delivery.channel), marked "
                    + "\"\(CampaignTestSend.mark.trimmingSpaces)\"; the campaign does not count it.")
        }
        return SendOutcome.willNeverGoOut(states) ? 1 : 0
    }
}
