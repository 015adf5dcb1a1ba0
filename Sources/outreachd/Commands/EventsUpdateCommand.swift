import Outreach

struct EventsUpdateCommand: Command {
    static let path = ["events", "update"]
    static let summary = "change an event's time or place; send an update and move reminders"
    static let help = """
        outreachd events update NAME [--start "YYYY-MM-DD HH:MM"] [--tz ZONE] [--duration D] [--location TEXT] [--json]
          Raises SEQUENCE, queues an updated invitation (METHOD:REQUEST, same UID) and moves the pending
          reminders: those not yet sent are cancelled and queued again for the new instants.
        """
    static let valueOptions: Set<String> = ["--start", "--tz", "--duration", "--location"]
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        let store = try context.store
        guard var e = try store.event(named: name) else { throw EventStoreError.unknown(name) }
        guard e.state == .active else { throw EventStoreError.cancelled(name) }
        let changes = ["--start", "--tz", "--duration", "--location"].filter { args.value($0) != nil }
        guard !changes.isEmpty else { throw UsageError("nothing to change; give --start, --tz, --duration or --location") }
        let t = e.schedule.texts
        e.schedule = try EventSchedule(start: args.value("--start") ?? t.start, timeZone: args.value("--tz") ?? t.timeZone,
                                       duration: args.value("--duration") ?? t.duration, rrule: t.rrule,
                                       exdates: args.value("--start") == nil ? t.exdates : [], reminders: t.reminders)
        if let l = args.value("--location") { e.location = l.isEmpty ? nil : l }
        let templates = try EventsCreateCommand.eventTemplates(context)
        try EventsCreateCommand.validateTemplates(e, templates, context)
        let (updated, q) = try store.updateEvent(e, templates: templates, now: Clock.nowMillis())
        EventsCreateCommand.report(updated, q, verb: "Updated", args, context)
        return 0
    }
}
