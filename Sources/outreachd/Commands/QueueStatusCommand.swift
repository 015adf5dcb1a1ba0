import Outreach

struct QueueStatusCommand: Command {
    static let path = ["queue", "status"]
    static let summary = "count deliveries by state"
    static let help = """
        outreachd queue status [--json]
          Deliveries by state; of those waiting (queued, or failed and due again), how many are due now
          and how many are scheduled for later (an embargo, quiet hours, a retry) with the next one's
          time; campaigns that start by themselves later; event reminders scheduled (not deliveries yet:
          each fans out to the members of its moment when it falls due) and when the next one does;
          channels that are down.
        """
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        _ = try args.positionals()
        let counts = try context.store.queueCounts(messageID: nil)
        let total = counts.values.reduce(0, +)
        let cancelled = (counts[.cancelled] ?? 0) > 0 ? try context.store.cancelReasons(messageID: nil) : [:]
        let outages = try context.store.channelOutages()
        let pending = try context.store.pendingByDue(now: WallClock.nowMillis())
        // Scheduled campaigns not yet fanned out have no deliveries until their time.
        let starting = try context.store.campaigns().filter { $0.state == .scheduled && $0.startedAt == nil }
        // Nor have event reminders: they are scheduled, not queued.
        let reminders = ScheduledReminders(events: try context.store.events(), now: WallClock.nowMillis())
        if args.has("--json") {
            var o = Dictionary(
                uniqueKeysWithValues: DeliveryState.allCases.map { ($0.rawValue, JSON(counts[$0] ?? 0)) })
            o["total"] = JSON(total)
            o["cancelled_reasons"] = .object(
                Dictionary(uniqueKeysWithValues: cancelled.map { ($0.key.rawValue, JSON($0.value)) }))
            o["due_now"] = JSON(pending.dueNow)
            o["scheduled_later"] = JSON(pending.later)
            if let next = pending.nextLater { o["next_scheduled_at"] = .string(WallClock.rfc3339(next)) }
            o["campaigns_starting_later"] = .array(
                starting.map { ["name": .string($0.name), "send_at": .string(WallClock.rfc3339($0.sendAt ?? 0))] })
            var r: [String: JSON] = ["scheduled": JSON(reminders.count)]
            if let next = reminders.next { r["next_at"] = .string(WallClock.rfc3339(next)) }
            o["event_reminders"] = .object(r)
            o["channels_down"] = .object(
                outages.mapValues { ["since": .string(WallClock.rfc3339($0.since)), "error": .string($0.lastError)] })
            context.printJSON(.object(o))
            return 0
        }
        for s in DeliveryState.allCases
        where (counts[s] ?? 0) > 0 || [.queued, .sending, .sent, .failed, .dead].contains(s) {
            context.print(s.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0) + String(counts[s] ?? 0))
            if s == .cancelled {
                for (r, n) in cancelled.sorted(by: { $0.key.rawValue < $1.key.rawValue }) {
                    context.print("  \(r.rawValue): \(n)")
                }
            }
        }
        context.print("total".padding(toLength: 11, withPad: " ", startingAt: 0) + String(total))
        context.print("waiting    \(pending.dueNow + pending.later) (queued, or failed and due again)")
        context.print("  due now    \(pending.dueNow)")
        context.print(
            "  later      \(pending.later)" + (pending.nextLater.map { " (next at \(WallClock.rfc3339($0)))" } ?? ""))
        for c in starting {
            context.print(
                "campaign \(c.name.escapingControlCharacters) starts by itself at \(WallClock.rfc3339(c.sendAt ?? 0))")
        }
        if reminders.count > 0 {
            context.print(
                "event reminders scheduled \(reminders.count) (not queued yet; next at "
                    + "\(WallClock.rfc3339(reminders.next ?? 0)))")
        }
        for (name, o) in outages.sorted(by: { $0.key < $1.key }) {
            context.print("channel \(name) is down since \(WallClock.rfc3339(o.since)): \(o.lastError)")
        }
        return 0
    }
}
