import Foundation
import Outreach

struct EventsUpdateCommand: Command {
    static let path = ["events", "update"]
    static let summary = "change an event; send an update, its reminders follow the new schedule"
    static let help = """
        outreachd events update NAME [--start "YYYY-MM-DD HH:MM"] [--tz ZONE] [--duration D] [--location TEXT]
                                [--title TEXT] [--rrule RULE | --rrule ""] [--exdate "YYYY-MM-DD HH:MM"]…
                                [--no-exdate "YYYY-MM-DD HH:MM"]… [--remind -1d]… [--no-reminders]
                                [--title LANG=TEXT]… [--data F.json] [--online | --in-person]
                                [--prefer email|sms] [--json]
          Raises SEQUENCE and queues an updated invitation (METHOD:REQUEST, same UID). Reminders follow
          the new schedule when they fall due; one already due and not yet sent whose occurrence or
          offset is gone is cancelled.
          --rrule "" makes a series a single event; --remind replaces every reminder, --no-reminders
          removes them. --exdate adds an exception to those there are, --no-exdate drops one (as
          `events show` lists it). A new --start moves the exceptions with the series (same offset),
          and is refused when one would no longer fall on an occurrence. Prints what changed:
          exceptions, occurrences added and removed, reminders scheduled and cancelled.
          The update (template event-update) tells each member what changed; one still waiting to be
          sent to them is replaced (cancelled, reason superseded), so they get one message.
          --title LANG=TEXT sets one language's title (LANG= removes it); --data replaces the data.
          --online tells times by each reader's clock, --in-person by the place's (see events create).
          --prefer changes the channel of those with both an email and a phone and no preference for
          what is queued from now on: this update, the reminders, members who join later. It
          comes with another change (the update goes to everyone).
        """
    static let valueOptions: Set<String> = [
        "--start", "--tz", "--duration", "--location", "--title", "--rrule", "--exdate", "--no-exdate", "--remind",
        "--data", "--prefer",
    ]
    static let flags: Set<String> = ["--no-reminders", "--json", "--online", "--in-person"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        if args.has("--no-reminders"), args.value("--remind") != nil {
            throw UsageError("give --remind or --no-reminders, not both")
        }
        let titles = try EventsCreateCommand.titles(args)
        if args.has("--online"), args.has("--in-person") { throw UsageError("give --online or --in-person, not both") }
        let schedule = EventScheduleChange(
            start: args.value("--start"), timeZone: args.value("--tz"), duration: args.value("--duration"),
            rrule: args.value("--rrule"), addExceptions: args.values("--exdate"),
            removeExceptions: args.values("--no-exdate"),
            reminders: args.has("--no-reminders") ? [] : args.value("--remind") != nil ? args.values("--remind") : nil)
        var request = EventUpdateRequest(
            schedule: schedule, location: args.value("--location"), title: titles,
            data: try args.value("--data").map { try FileInput.jsonObject($0) },
            online: args.has("--online") ? true : args.has("--in-person") ? false : nil)
        let prefer = try EventsCreateCommand.prefer(args)
        guard !request.isEmpty else {
            if prefer != nil {
                throw UsageError(
                    "--prefer needs another change: the update it comes with is sent to every member")
            }
            throw UsageError(
                "nothing to change; give --start, --tz, --duration, --location, --title, --rrule, --exdate, "
                    + "--no-exdate, --remind, --no-reminders, --data, --online or --in-person")
        }
        request.prefer = prefer
        let planner = try EventsCreateCommand.planner(context)
        let out = try planner.update(named: name, request, now: WallClock.nowMillis())
        EventsCreateCommand.report(out.event, out.queued, verb: "Updated", args, context, changes: out.changes)
        return 0
    }
}
