import Foundation
import Outreach
import Channels

struct EventsCreateCommand: Command {
    static let path = ["events", "create"]
    static let summary = "create an event; queue its invitation, schedule its reminders"
    static let help = """
        outreachd events create NAME --start "YYYY-MM-DD HH:MM" --tz ZONE --duration 2h --list L
                                [--rrule "FREQ=WEEKLY;COUNT=4"] [--exdate "YYYY-MM-DD HH:MM"]… [--remind -1d]…
                                [--location TEXT] [--title TEXT] [--title LANG=TEXT]… [--data F.json]
                                [--online] [--channel C]… [--prefer email|sms] [--json]
          Queues an invitation (template event-invitation, with an iCalendar METHOD:REQUEST part and
          invite.ics) to every subscribed member of L on every channel (default: every email channel),
          and schedules each reminder (template event-reminder): when it falls due, `serve` (or `work`)
          sends it to the members of that moment. A room channel gets one post.
          --title LANG=TEXT (da="Fællesspisning") is the title in one language: a message shows the one
          of the language it is written in, else --title TEXT (default NAME).
          F.json is a JSON object its messages' templates see (description, rsvp_url, note, …), over
          the list's data and the [sender] defaults.
          Times are told by the place's clock ("10:00 (Athens Time)" to a reader elsewhere) for an
          event with a --location; by each reader's, with the organiser's beside, for an --online one
          (a --location that is a link is online too) or one without a place.
          On an email and an SMS channel, someone with both addresses gets one: their preferred channel
          (contacts add --preferred-channel), else --prefer (default email). Members no channel reaches
          (only a phone and no SMS channel, only an email and no email channel) are counted.
        """
    static let valueOptions: Set<String> = [
        "--start", "--tz", "--duration", "--list", "--rrule", "--exdate", "--remind",
        "--location", "--title", "--channel", "--data", "--prefer",
    ]
    static let flags: Set<String> = ["--json", "--online"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        let start = try args.require("--start")
        let tz = try args.require("--tz")
        let duration = try args.require("--duration")
        let list = try args.require("--list")
        let schedule = try EventSchedule(
            start: start, timeZone: tz, duration: duration, rrule: args.value("--rrule"),
            exdates: args.values("--exdate"), reminders: args.values("--remind"))
        let store = try context.store
        guard try store.list(named: list) != nil else { throw StoreError.unknownList(list) }
        guard try store.event(named: name) == nil else { throw EventStoreError.exists(name) }
        let planner = try planner(context)
        let channels: [CampaignChannel]
        do { channels = try planner.channels(named: args.values("--channel")) } catch EventPlanError.noDefaultChannel {
            throw UsageError(EventPlanError.noDefaultChannel.description)
        }
        let config = try context.config
        let domain = (try? MailAddress.parse(config.senderFrom))?.domain ?? "localhost"
        let uid = "evt-" + Crypto.hex(Crypto.randomBytes(12)) + "@" + domain
        let titles = try Self.titles(args)
        var event = Event(
            name: name, title: name, list: list, channels: channels, schedule: schedule,
            location: args.value("--location"), uid: uid)
        event.titles = event.titles.applying(titles)
        if let f = args.value("--data") { event.data = try FileInput.jsonObject(f) }
        event.online = args.has("--online")
        event.prefer = try Self.prefer(args) ?? .email
        let templates = planner.eventTemplates
        try planner.check(event, templates)
        let (e, q) = try store.createEvent(event, templates: templates, now: WallClock.nowMillis())
        report(e, q, verb: "Created", args, context)
        return 0
    }

    /// The `--title` values (`TEXT`, `LANG=TEXT`); a bad one is a usage error.
    static func titles(_ args: Arguments) throws(UsageError) -> LocalizedTitle.Changes {
        do { return try LocalizedTitle.Changes(parsing: args.values("--title")) } catch {
            throw UsageError(error.description)
        }
    }

    /// `--prefer email|sms`; another value is a usage error.
    static func prefer(_ args: Arguments) throws(UsageError) -> ChannelPreference? {
        do { return try ChannelPreference.parse(args.value("--prefer")) } catch {
            throw UsageError("--prefer: '\(args.value("--prefer") ?? "")' is not email or sms")
        }
    }

    /// The core's rules for events over this command's store, templates and channels.
    static func planner(_ context: CommandContext) throws -> EventPlanner {
        let config = try context.config
        return EventPlanner(
            store: try context.store, templates: try context.templateCheck, channels: try context.channels,
            templatesDirectory: config.templatesDir, defaultLocale: config.defaultLocale)
    }

    static func report(
        _ e: Event, _ q: EventQueued, verb: String, _ args: Arguments, _ context: CommandContext,
        changes: EventChanges? = nil
    ) {
        if args.has("--json") {
            var o = e.showJSON(now: Date()).objectValue ?? [:]
            o["queued"] = [
                "invitation": JSON(q.invitation.queued), "suppressed": JSON(q.invitation.suppressed),
                "no_address": JSON(q.invitation.noAddress), "reminders_scheduled": JSON(q.scheduledReminders),
                "next_reminder_at": q.nextReminderAt.map { .string(WallClock.rfc3339($0)) } ?? .null,
                "cancelled_reminders": JSON(q.cancelledReminders),
                "cancelled_invitations_and_updates": JSON(q.cancelledNotices), "superseded": JSON(q.superseded),
                "not_reached": [
                    "phone_only": JSON(q.invitation.phoneOnly), "email_only": JSON(q.invitation.emailOnly),
                ],
            ]
            if let changes { o["changes"] = changes.json }
            context.printJSON(.object(o))
        } else {
            let kind =
                e.state == .cancelled || verb.hasPrefix("Cancelled")
                ? "cancellation" : verb == "Updated" ? "update" : "invitation"
            var s = "\(verb) event \(e.name) (sequence \(e.sequence)): \(q.invitation.queued) \(kind) deliveries queued"
            if q.invitation.suppressed > 0 { s += ", \(q.invitation.suppressed) suppressed" }
            if q.scheduledReminders > 0 {
                s +=
                    ", \(q.scheduledReminders) reminders scheduled (next at \(WallClock.rfc3339(q.nextReminderAt ?? 0)))"
            }
            if q.cancelledReminders > 0 { s += ", \(q.cancelledReminders) pending reminders cancelled" }
            if q.cancelledNotices > 0 { s += ", \(q.cancelledNotices) invitations or updates not yet sent cancelled" }
            if q.superseded > 0 { s += ", \(q.superseded) earlier invitations or updates not yet sent superseded" }
            context.print(s + ".")
            for (n, has, lacks) in [
                (q.invitation.phoneOnly, "a phone", "SMS"), (q.invitation.emailOnly, "an email", "email"),
            ] where n > 0 {
                context.print(
                    "  \(n) \(n == 1 ? "member" : "members") not reached: only \(has), and the event has no \(lacks) channel."
                )
            }
            for line in changes?.lines ?? [] { context.print("  " + line) }
        }
    }
}
