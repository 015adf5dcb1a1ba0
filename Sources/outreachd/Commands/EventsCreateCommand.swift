import Foundation
import Outreach
import Channels

struct EventsCreateCommand: Command {
    static let path = ["events", "create"]
    static let summary = "create an event; queue its invitation and reminders"
    static let help = """
        outreachd events create NAME --start "YYYY-MM-DD HH:MM" --tz ZONE --duration 2h --list L
                                [--rrule "FREQ=WEEKLY;COUNT=4"] [--exdate "YYYY-MM-DD HH:MM"]… [--remind -1d]…
                                [--location TEXT] [--title TEXT] [--channel C]… [--json]
          Queues an invitation (template event-invitation, with an iCalendar METHOD:REQUEST part and
          invite.ics) to every subscribed member of L on every channel (default: every email channel),
          and each reminder (template event-reminder) for its instant. A room channel gets one post.
        """
    static let valueOptions: Set<String> = [
        "--start", "--tz", "--duration", "--list", "--rrule", "--exdate", "--remind",
        "--location", "--title", "--channel",
    ]
    static let flags: Set<String> = ["--json"]

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
        let channels = try eventChannels(args.values("--channel"), context)
        let config = try context.config
        let domain = (try? MailAddress.parse(config.senderFrom))?.domain ?? "localhost"
        let uid = "evt-" + Crypto.hex(Crypto.randomBytes(12)) + "@" + domain
        let event = Event(
            name: name, title: args.value("--title") ?? name, list: list, channels: channels, schedule: schedule,
            location: args.value("--location"), uid: uid)
        let templates = try eventTemplates(context)
        try validateTemplates(event, templates, context)
        let (e, q) = try store.createEvent(event, templates: templates, now: WallClock.nowMillis())
        report(e, q, verb: "Created", args, context)
        return 0
    }

    /// The channels named (each addressed as a campaign would: email, phone or room), or every email channel.
    static func eventChannels(_ names: [String], _ context: CommandContext) throws -> [CampaignChannel] {
        let channels = try context.channels
        let chosen =
            names.isEmpty
            ? channels.filter { $0.value.kind == .email && $0.value.target == .contact }.keys.sorted() : names
        guard !chosen.isEmpty else { throw UsageError("--channel is required: no email channel is configured") }
        return try chosen.map { n in
            guard let ch = channels[n] else {
                throw CLIError.failed(
                    "--channel: there is no channel '\(n)'; configured: \(channels.keys.sorted().joined(separator: ", "))."
                )
            }
            return CampaignChannel(name: n, address: ch.target == .room ? .room : ch.kind == .sms ? .phone : .email)
        }
    }

    /// `event-cancellation` when the template folder has one, else the invitation template.
    static func eventTemplates(_ context: CommandContext) throws -> EventTemplates {
        let library = try context.templates
        var t = EventTemplates()
        if library.has("event-cancellation") { t.cancellation = "event-cancellation" }
        return t
    }

    /// Renders the invitation and reminder templates for every language in the audience and every
    /// channel, so a broken template is refused now rather than at send time.
    static func validateTemplates(_ event: Event, _ templates: EventTemplates, _ context: CommandContext) throws {
        let library = try context.templates
        let config = try context.config
        for t in Set([templates.invitation, templates.reminder, templates.cancellation]) where !library.has(t) {
            throw CLIError.failed("There is no template '\(t)' in \(config.templatesDir); events need it.")
        }
        let channels = try context.channels
        guard let first = event.schedule.occurrences().first else { return }
        for locale in try context.store.audienceLocales(list: event.list).map(Optional.some) + [nil] {
            let sample = first.templateContext(
                title: event.title, location: event.location, locale: locale,
                timeZone: event.schedule.timeZone, defaultLocale: config.defaultLocale)
            for ch in event.channels {
                for t in [templates.invitation, templates.reminder] {
                    do {
                        try context.templateCheck.check(
                            template: t, channel: channels[ch.name]!, locale: locale, data: ["event": sample])
                    } catch {
                        throw CLIError.failed(
                            "The template '\(t)' does not render for \(locale ?? "the default language") on channel \(ch.name): \(error)"
                        )
                    }
                }
            }
        }
    }

    static func report(_ e: Event, _ q: EventQueued, verb: String, _ args: Arguments, _ context: CommandContext) {
        if args.has("--json") {
            var o = EventsShowCommand.json(e).objectValue ?? [:]
            o["queued"] = [
                "invitation": JSON(q.invitation.queued), "suppressed": JSON(q.invitation.suppressed),
                "no_address": JSON(q.invitation.noAddress), "reminders": JSON(q.reminders),
                "reminder_messages": JSON(q.reminderMessages), "cancelled_reminders": JSON(q.cancelledReminders),
            ]
            context.printJSON(.object(o))
        } else {
            var s =
                "\(verb) event \(e.name) (sequence \(e.sequence)): \(q.invitation.queued) \(e.state == .cancelled ? "cancellation" : "invitation") deliveries queued"
            if q.invitation.suppressed > 0 { s += ", \(q.invitation.suppressed) suppressed" }
            s += ", \(q.reminders) reminder deliveries scheduled"
            if q.cancelledReminders > 0 { s += ", \(q.cancelledReminders) pending reminders cancelled" }
            context.print(s + ".")
        }
    }
}
