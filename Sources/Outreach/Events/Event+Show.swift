import Foundation

extension Event {
    /// What `events show NAME --json` prints: `EventSchedule.showJSON` (every occurrence, past ones
    /// marked `past`, and the exceptions) with the event's `name`, `title`, `titles` (by language),
    /// `data`, `list`, `channels`, `location`, `uid`, `sequence`, `state`, `created_at` and `updated_at`.
    public func showJSON(now: Date) -> JSON {
        var o = schedule.showJSON(now: now).objectValue ?? [:]
        o["name"] = .string(name)
        o["title"] = .string(title)
        o["titles"] = titles.translationsJSON
        o["data"] = data
        o["online"] = .bool(online)
        o["prefer"] = .string(prefer.rawValue)
        o["list"] = .string(list)
        o["channels"] = .array(channels.map { .string($0.name) })
        o["location"] = location.map { .string($0) } ?? .null
        o["uid"] = .string(uid)
        o["sequence"] = JSON(sequence)
        o["state"] = .string(state.rawValue)
        o["created_at"] = .string(WallClock.rfc3339(createdAt))
        o["updated_at"] = .string(WallClock.rfc3339(updatedAt))
        return .object(o)
    }
}

extension Event {
    /// `showJSON(now:)` with each reminder's `state` (`Event.reminderState`): what `events show`
    /// prints. `runs` are the event's reminder runs, `counts` their messages' deliveries by state.
    public func showJSON(now: Date, runs: [ReminderRun], counts: [Int64: [DeliveryState: Int]]) -> JSON {
        guard case .object(var o) = showJSON(now: now), let occurrences = o["occurrences"]?.arrayValue else {
            return showJSON(now: now)
        }
        let byKey = Dictionary(runs.map { ($0.key, $0) }) { a, _ in a }
        let moment = Self.millis(now)
        o["occurrences"] = .array(
            occurrences.map { occurrence in
                guard case .object(var fields) = occurrence,
                    let start = WallClock.parseRFC3339(occurrence["start_utc"]?.stringValue ?? "")
                else { return occurrence }
                fields["reminders"] = .array(
                    (occurrence["reminders"]?.arrayValue ?? []).map { r in
                        guard case .object(var f) = r, let offset = r["offset"]?.stringValue,
                            let at = WallClock.parseRFC3339(r["at_utc"]?.stringValue ?? "")
                        else { return r }
                        let run = byKey[ReminderKey(occurrenceStart: start, offset: offset)]
                        for (k, v) in reminderState(
                            at: at, run: run, counts: run?.messageID.flatMap { counts[$0] } ?? [:], now: moment)
                        {
                            f[k] = v
                        }
                        return .object(f)
                    })
                return .object(fields)
            })
        return .object(o)
    }

    /// One reminder's state: `scheduled` (ahead), `due` (its instant has come, the next fan-out
    /// runs it), `not-sent` (it fell before the event was made, or while it was cancelled),
    /// `skipped` (too late when it ran), `queued` with how many deliveries wait, or `sent` with
    /// how many went out; `deliveries` by state once it ran.
    func reminderState(at: Int64, run: ReminderRun?, counts: [DeliveryState: Int], now: Int64) -> [String: JSON] {
        guard let run else {
            if at > now { return ["state": "scheduled"] }
            return ["state": .string(at <= createdAt || state == .cancelled ? "not-sent" : "due")]
        }
        if run.state == .skipped { return ["state": "skipped"] }
        let waiting = [DeliveryState.queued, .failed, .sending].reduce(0) { $0 + (counts[$1] ?? 0) }
        let sent = [DeliveryState.sent, .delivered, .bounced, .complained].reduce(0) { $0 + (counts[$1] ?? 0) }
        var out: [String: JSON] = [
            "deliveries": .object(Dictionary(uniqueKeysWithValues: counts.map { ($0.key.rawValue, JSON($0.value)) }))
        ]
        if waiting > 0 {
            out["state"] = "queued"
            out["queued"] = JSON(waiting)
        } else {
            out["state"] = "sent"
            out["sent"] = JSON(sent)
        }
        return out
    }
}
