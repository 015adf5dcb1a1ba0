import Foundation
import Outreach

/// `--every RULE --at TIME [--until DATE] [--tz ZONE]` of `campaigns create` and `update`.
enum CampaignSeriesOptions {
    static let valueOptions: Set<String> = ["--every", "--until", "--tz"]

    /// The zone `--at` is read in: `--tz`, else `[campaigns] time_zone` (`SendTime`).
    static func sendTime(_ args: Arguments, _ context: CommandContext) throws -> SendTime {
        guard let name = args.value("--tz") else { return try SendTime(config: try context.config) }
        guard let zone = TimeZone(identifier: name.trimmingCharacters(in: .whitespaces)) else {
            throw UsageError("--tz '\(name)' is not an IANA time zone like Europe/Copenhagen")
        }
        return SendTime(zone: zone)
    }

    /// The series the options give; nil when none of them is given. For `update`, what is not given
    /// is kept from `existing` (its rule, first run and zone).
    static func recurrence(_ args: Arguments, zone: TimeZone, existing: Campaign? = nil) throws -> CampaignRecurrence? {
        let old = existing?.recurrence
        guard
            args.value("--every") != nil || (old != nil && args.value("--at") != nil)
                || args.value("--until") != nil || (args.value("--tz") != nil && old != nil)
        else { return nil }
        var every = args.value("--every")
        if every == nil, var rule = old?.rule {
            if args.value("--until") != nil { rule.end = .never }
            every = rule.icalendar
        }
        guard let every else { throw UsageError("--until needs --every, the rule the campaign repeats by") }
        let zone = args.value("--tz") == nil ? old?.timeZone ?? zone : zone
        let at =
            args.value("--at") ?? old.map { "\($0.start)" }
            ?? existing?.sendAt.map { "\(zone.localDateTime(for: Date(timeIntervalSince1970: Double($0) / 1000)))" }
        guard let at else { throw UsageError("--every needs --at, the time of the first run") }
        return try CampaignRecurrence(every: every, at: at, until: args.value("--until"), zone: zone)
    }

    /// `every FREQ=MONTHLY;BYDAY=1TU from 2027-01-05 10:00 Europe/Copenhagen (UTC+01:00)`.
    static func describe(_ r: CampaignRecurrence) -> String {
        "every \(r.every) from \(SendTime(zone: r.timeZone).describe(r.firstAt))"
    }

    /// Runs as JSON: occurrence, due time (UTC and the campaign's zone), state and counts.
    static func json(_ runs: [CampaignRun], _ r: CampaignRecurrence) -> JSON {
        .array(
            runs.map { run in
                var o: [String: JSON] = [
                    "occurrence": JSON(run.occurrence), "at": .string(WallClock.rfc3339(run.at)),
                    "at_local": .string(SendTime(zone: r.timeZone).describe(run.at)),
                    "state": .string(run.state.rawValue), "ran_at": .string(WallClock.rfc3339(run.ranAt)),
                    "total": JSON(run.counts.values.reduce(0, +)),
                ]
                for s in DeliveryState.allCases { o[s.rawValue] = JSON(run.counts[s] ?? 0) }
                return .object(o)
            })
    }

    /// Next runs as JSON: occurrence and due time.
    static func json(next: [CampaignOccurrence], _ r: CampaignRecurrence) -> JSON {
        .array(
            next.map {
                .object([
                    "occurrence": JSON($0.index), "at": .string(WallClock.rfc3339($0.at)),
                    "at_local": .string(SendTime(zone: r.timeZone).describe($0.at)),
                ])
            })
    }

    /// One line per run: `  #1 2027-01-05 10:00 …: ran, 12 queued, 30 sent, 1 dead`.
    static func lines(_ runs: [CampaignRun], next: [CampaignOccurrence], _ r: CampaignRecurrence) -> [String] {
        let time = SendTime(zone: r.timeZone)
        var out = ["  Runs:      \(runs.count) so far" + (runs.isEmpty ? "" : ":")]
        for run in runs {
            var what = run.state.rawValue
            if run.state == .ran {
                let counts = DeliveryState.allCases.filter { (run.counts[$0] ?? 0) > 0 }
                    .map { "\(run.counts[$0]!) \($0.rawValue)" }
                what += counts.isEmpty ? ", reached nobody" : ", " + counts.joined(separator: ", ")
            } else {
                what += " (found more than [campaigns] grace past its time)"
            }
            out.append("    #\(run.occurrence + 1) \(time.describe(run.at)): \(what)")
        }
        if !next.isEmpty {
            out.append(
                "  Next:      " + next.map { "#\($0.index + 1) \(time.describe($0.at))" }.joined(separator: "; "))
        }
        return out
    }

    /// Every delivery of a campaign by state: its own message's, and its runs'.
    static func counts(_ c: Campaign, runs: [CampaignRun], _ store: any Store) throws -> [DeliveryState: Int] {
        var counts = try store.queueCounts(messageID: c.messageID)
        for run in runs { counts.merge(run.counts, uniquingKeysWith: +) }
        return counts
    }
}
