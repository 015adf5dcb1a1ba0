import Outreach

struct EventsCancelCommand: Command {
    static let path = ["events", "cancel"]
    static let summary = "cancel an event: METHOD:CANCEL to the audience, reminders cancelled"
    static let help = """
        outreachd events cancel NAME [--json]
          Queues a cancellation (iCalendar METHOD:CANCEL, STATUS:CANCELLED, SEQUENCE raised) to the
          audience and cancels every reminder not yet sent.
        """
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        let (e, q) = try context.store.cancelEvent(
            named: name, templates: EventPlanner.eventTemplates(in: try context.templates), now: WallClock.nowMillis())
        EventsCreateCommand.report(e, q, verb: "Cancelled", args, context)
        return 0
    }
}
