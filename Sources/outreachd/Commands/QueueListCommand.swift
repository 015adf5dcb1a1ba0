import Outreach

struct QueueListCommand: Command {
    static let path = ["queue", "list"]
    static let summary = "list deliveries"
    static let help = """
        outreachd queue list [--state S] [--message ID] [--limit N] [--json]
          S is one of queued, sending, sent, failed, dead, suppressed, cancelled, delivered, bounced,
          complained.
          Each line: id, state, channel, address, attempts, due=TIME (when a queued or failed delivery is
          tried next), campaign=NAME or event=NAME (what it belongs to; for a hook's post, on channel
          hook:NAME, webhook-id=evt_N), and the last error.
        """
    static let valueOptions: Set<String> = ["--state", "--limit", "--message"]
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        _ = try args.positionals()
        let state = try args.value("--state").map { s throws(UsageError) -> DeliveryState in
            guard let st = DeliveryState(rawValue: s) else {
                throw UsageError(
                    "--state must be one of " + DeliveryState.allCases.map(\.rawValue).joined(separator: ", "))
            }
            return st
        }
        let limit = Int(args.value("--limit") ?? "100") ?? 100
        let message = args.value("--message").flatMap { Int64($0) }
        let list = try context.store.deliveries(state: state, messageID: message, limit: limit)
        if args.has("--json") { context.printJSON(.array(list.map(\.json))); return 0 }
        let store = try context.store
        // What each delivery belongs to, by its message: a campaign or an event, named.
        var campaigns: [Int64: String] = [:]
        var events: [Int64: String] = [:]
        var owners: [Int64: String] = [:]
        let hookMessages = Set(list.filter { $0.channel.hasPrefix(Hook.channelPrefix) }.map(\.messageID))
        for messageID in Set(list.map(\.messageID)) {
            guard let m = try store.message(id: messageID) else { continue }
            if hookMessages.contains(messageID), let event = HookEvent(messageData: m.data) {
                owners[messageID] = "webhook-id=" + event.webhookID
            } else if let c = m.campaignID {
                if campaigns.isEmpty {
                    for k in try store.campaigns() { if let id = k.id { campaigns[id] = k.name } }
                }
                if let name = campaigns[c] { owners[messageID] = "campaign=" + name }
            } else if let e = m.eventID {
                if events.isEmpty { for v in try store.events() { if let id = v.id { events[id] = v.name } } }
                if let name = events[e] { owners[messageID] = "event=" + name }
            }
        }
        for d in list {
            var fields = [String(d.id), d.state.rawValue, d.channel, d.address, "attempts=\(d.attempts)"]
            if let due = d.nextAttemptAt, d.state == .queued || d.state == .failed {
                fields.append("due=" + WallClock.rfc3339(due))
            }
            if let owner = owners[d.messageID] { fields.append(owner) }
            fields.append(d.lastError ?? "")
            context.print(fields.joined(separator: "\t"))
        }
        return 0
    }
}
