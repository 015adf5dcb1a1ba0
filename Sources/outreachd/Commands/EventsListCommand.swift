import Outreach

struct EventsListCommand: Command {
    static let path = ["events", "list"]
    static let summary = "list events"
    static let help = """
        outreachd events list [--json]
        """
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        _ = try args.positionals()
        let events = try context.store.events()
        if args.has("--json") {
            context.printJSON(
                .array(
                    events.map { e in
                        let t = e.schedule.texts
                        return .object([
                            "name": .string(e.name), "title": .string(e.title), "list": .string(e.list),
                            "start": .string(t.start),
                            "time_zone": .string(t.timeZone), "duration": .string(t.duration),
                            "rrule": t.rrule.map { .string($0) } ?? .null,
                            "location": e.location.map { .string($0) } ?? .null, "state": .string(e.state.rawValue),
                            "sequence": JSON(e.sequence), "uid": .string(e.uid),
                        ])
                    }))
            return 0
        }
        for e in events {
            let t = e.schedule.texts
            context.print(
                [e.name, e.state.rawValue, "\(t.start) \(t.timeZone)", t.rrule ?? "once", e.list, e.location ?? ""]
                    .joined(separator: "\t"))
        }
        return 0
    }
}
