import Outreach

struct EventsShowCommand: Command {
    static let path = ["events", "show"]
    static let summary = "an event with every occurrence and reminder"
    static let help = """
        outreachd events show NAME [--json]
          Every occurrence and reminder instant, in UTC and in the event's local time (RFC 3339).
          An open-ended series is listed up to its horizon.
        """
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        guard let e = try context.store.event(named: name) else { throw EventStoreError.unknown(name) }
        let j = json(e)
        if args.has("--json") { context.printJSON(j); return 0 }
        context.print("\(e.title) (\(e.name)), \(e.state.rawValue), sequence \(e.sequence)")
        context.print("  list \(e.list) over \(e.channels.map(\.name).joined(separator: ", "))")
        if let l = e.location { context.print("  at \(l)") }
        let t = e.schedule.texts
        context.print("  \(t.start) \(t.timeZone) for \(t.duration)" + (t.rrule.map { ", \($0)" } ?? ""))
        for o in j["occurrences"]?.arrayValue ?? [] {
            context.print(
                "  #\(o["index"]?.intValue ?? 0)  \(o["start_local"]?.stringValue ?? "")  (\(o["start_utc"]?.stringValue ?? ""))"
            )
            for r in o["reminders"]?.arrayValue ?? [] {
                context.print(
                    "      reminder \(r["offset"]?.stringValue ?? "")  \(r["at_local"]?.stringValue ?? "")  (\(r["at_utc"]?.stringValue ?? ""))"
                )
            }
        }
        return 0
    }

    /// The event's fields around `EventSchedule.showJSON`.
    static func json(_ e: Event) -> JSON {
        var o = e.schedule.showJSON().objectValue ?? [:]
        o["name"] = .string(e.name)
        o["title"] = .string(e.title)
        o["list"] = .string(e.list)
        o["channels"] = .array(e.channels.map { .string($0.name) })
        o["location"] = e.location.map { .string($0) } ?? .null
        o["uid"] = .string(e.uid)
        o["sequence"] = JSON(e.sequence)
        o["state"] = .string(e.state.rawValue)
        o["created_at"] = .string(WallClock.rfc3339(e.createdAt))
        o["updated_at"] = .string(WallClock.rfc3339(e.updatedAt))
        return .object(o)
    }
}
