import Outreach

struct EventsCancelCommand: Command {
    static let path = ["events", "cancel"]
    static let summary = "cancel an event, or one occurrence: METHOD:CANCEL to the audience, reminders cancelled"
    static let help = """
        outreachd events cancel NAME [--occurrence "YYYY-MM-DD HH:MM"] [--json]
          Queues a cancellation (template event-cancellation; iCalendar METHOD:CANCEL, STATUS:CANCELLED,
          SEQUENCE raised) to the audience and cancels every reminder, invitation and update not yet sent.
          With --occurrence (its start in the event's zone, as `events show` lists it), only that
          meeting: the cancellation names it (RECURRENCE-ID), it becomes an exception of the series,
          and its reminders are cancelled; the other meetings stay as they are.
        """
    static let valueOptions: Set<String> = ["--occurrence"]
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        let planner = try EventsCreateCommand.planner(context)
        let out = try planner.cancel(named: name, occurrence: args.value("--occurrence"), now: WallClock.nowMillis())
        let verb = args.value("--occurrence").map { "Cancelled \($0) of" } ?? "Cancelled"
        EventsCreateCommand.report(out.event, out.queued, verb: verb, args, context, changes: out.changes)
        return 0
    }
}
