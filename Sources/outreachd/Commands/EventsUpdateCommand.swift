import Foundation
import Outreach

struct EventsUpdateCommand: Command {
    static let path = ["events", "update"]
    static let summary = "change an event; send an update and move its reminders"
    static let help = """
        outreachd events update NAME [--start "YYYY-MM-DD HH:MM"] [--tz ZONE] [--duration D] [--location TEXT]
                                [--title TEXT] [--rrule RULE | --rrule ""] [--exdate "YYYY-MM-DD HH:MM"]…
                                [--remind -1d]… [--no-reminders] [--json]
          Raises SEQUENCE, queues an updated invitation (METHOD:REQUEST, same UID) and moves the pending
          reminders: those not yet sent are cancelled and queued again for the new instants.
          --rrule "" makes a series a single event; --remind replaces every reminder, --no-reminders
          removes them. Exceptions (--exdate) are kept unless the start or the rule changes, or new
          ones are given.
        """
    static let valueOptions: Set<String> = [
        "--start", "--tz", "--duration", "--location", "--title", "--rrule", "--exdate", "--remind",
    ]
    static let flags: Set<String> = ["--no-reminders", "--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        let store = try context.store
        guard var e = try store.event(named: name) else { throw EventStoreError.unknown(name) }
        guard e.state == .active else { throw EventStoreError.cancelled(name) }
        let changes =
            valueOptions.filter { args.value($0) != nil } + (args.has("--no-reminders") ? ["--no-reminders"] : [])
        guard !changes.isEmpty else {
            throw UsageError(
                "nothing to change; give --start, --tz, --duration, --location, --title, --rrule, --exdate, --remind or --no-reminders"
            )
        }
        if args.has("--no-reminders"), args.value("--remind") != nil {
            throw UsageError("give --remind or --no-reminders, not both")
        }
        let t = e.schedule.texts
        let rrule = args.value("--rrule").map { $0.isEmpty ? nil : $0 } ?? t.rrule
        // An exception names an occurrence of the old start and rule; it means nothing for new ones.
        let exdates =
            args.value("--exdate") != nil
            ? args.values("--exdate")
            : args.value("--start") != nil || args.value("--rrule") != nil ? [] : t.exdates
        let reminders =
            args.has("--no-reminders") ? [] : args.value("--remind") != nil ? args.values("--remind") : t.reminders
        e.schedule = try EventSchedule(
            start: args.value("--start") ?? t.start, timeZone: args.value("--tz") ?? t.timeZone,
            duration: args.value("--duration") ?? t.duration, rrule: rrule,
            exdates: exdates, reminders: reminders)
        if let l = args.value("--location") { e.location = l.isEmpty ? nil : l }
        if let title = args.value("--title") {
            guard !title.singleLine.isEmpty else { throw UsageError("--title must not be empty") }
            e.title = title
        }
        let planner = try EventsCreateCommand.planner(context)
        let templates = planner.eventTemplates
        try planner.check(e, templates)
        let (updated, q) = try store.updateEvent(e, templates: templates, now: WallClock.nowMillis())
        EventsCreateCommand.report(updated, q, verb: "Updated", args, context)
        return 0
    }
}
