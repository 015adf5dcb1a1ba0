import Foundation
import Outreach

struct EventsShowCommand: Command {
    static let path = ["events", "show"]
    static let summary = "an event with every occurrence and reminder"
    static let help = """
        outreachd events show NAME [--json]
          Every occurrence and reminder instant, in UTC and in the event's local time (RFC 3339); the
          occurrences already over are marked past, and the exceptions (dates left out) are listed.
          An open-ended series is listed up to its horizon. Each reminder says where it stands:
          scheduled (it fans out to the members of that moment when it falls due), due, queued N,
          sent N, skipped (too late when it ran), not-sent (it fell before the event was made). The
          titles in other languages and the keys of its template data are listed too (--json: titles,
          data).
        """
    static let flags: Set<String> = ["--json"]

    static func run(_ args: Arguments, _ context: CommandContext) throws -> Int32 {
        let name = try args.positionals("NAME")[0]
        guard let e = try context.store.event(named: name) else { throw EventStoreError.unknown(name) }
        let runs = try e.id.map { try context.store.reminderRuns(eventID: $0) } ?? []
        var counts: [Int64: [DeliveryState: Int]] = [:]
        for id in runs.compactMap(\.messageID) { counts[id] = try context.store.queueCounts(messageID: id) }
        let j = e.showJSON(now: Date(), runs: runs, counts: counts)
        if args.has("--json") { context.printJSON(j); return 0 }
        context.print("\(e.title) (\(e.name)), \(e.state.rawValue), sequence \(e.sequence)")
        for (tag, title) in e.titleTranslations.sorted(by: { $0.key < $1.key }) {
            context.print("  title \(tag): \(title)")
        }
        context.print("  list \(e.list) over \(e.channels.map(\.name).joined(separator: ", "))")
        if let keys = e.data.objectValue?.keys.sorted(), !keys.isEmpty {
            context.print("  data: " + keys.joined(separator: ", "))
        }
        if let l = e.location { context.print("  at \(l)") }
        let t = e.schedule.texts
        context.print("  \(t.start) \(t.timeZone) for \(t.duration)" + (t.rrule.map { ", \($0)" } ?? ""))
        for x in j["exceptions"]?.arrayValue ?? [] {
            let past = x["past"] == .bool(true) ? "  past" : ""
            context.print("  exception  \(x["start"]?.stringValue ?? "")  (not held)\(past)")
        }
        for o in j["occurrences"]?.arrayValue ?? [] {
            let past = o["past"] == .bool(true) ? "  past" : ""
            let start = "\(o["start_local"]?.stringValue ?? "")  (\(o["start_utc"]?.stringValue ?? ""))"
            context.print("  #\(o["index"]?.intValue ?? 0)  \(start)\(past)")
            for r in o["reminders"]?.arrayValue ?? [] {
                let at = "\(r["at_local"]?.stringValue ?? "")  (\(r["at_utc"]?.stringValue ?? ""))"
                let n = r["queued"]?.intValue ?? r["sent"]?.intValue
                let state = (r["state"]?.stringValue ?? "") + (n.map { " \($0)" } ?? "")
                context.print("      reminder \(r["offset"]?.stringValue ?? "")  \(at)  \(state)")
            }
        }
        return 0
    }
}
