import Foundation

/// When a recurring campaign runs (`--every RULE --at TIME --tz ZONE [--until DATE]`): the events'
/// recurrence rule (`RecurrenceRule`), its first run as wall time in an IANA zone, expanded by the
/// events' code (`EventSchedule`), so a run keeps its clock time across daylight saving the way an
/// event's occurrence does.
public struct CampaignRecurrence: Sendable, Equatable {
    public let rule: RecurrenceRule
    public let timeZone: TimeZone
    /// The first run's wall-clock time in `timeZone` (`--at`).
    public let start: LocalDateTime

    /// - Throws: `EventError` when `start` is not the rule's first occurrence or the rule gives too many.
    public init(rule: RecurrenceRule, timeZone: TimeZone, start: LocalDateTime) throws(EventError) {
        self.rule = rule
        self.timeZone = timeZone
        self.start = start
        _ = try schedule()
    }

    /// The series as the events expand it; a run has no length, the schedule's minute is only a
    /// placeholder (`occurrences(endingAfter:)` then means "starting after").
    func schedule() throws(EventError) -> EventSchedule {
        try EventSchedule(start: start, timeZone: timeZone, duration: EventDuration(seconds: 1), rule: rule)
    }

    /// The first run's instant (ms since 1970): the campaign's `sendAt`.
    public var firstAt: Int64 { Int64(timeZone.instant(for: start).timeIntervalSince1970 * 1000) }

    /// The rule as the officer reads it: `FREQ=MONTHLY;BYDAY=1TU` (UNTIL in UTC).
    public var every: String { rule.icalendar }

    /// True when the rule has COUNT or UNTIL: the campaign finishes after its last run.
    public var isFinite: Bool {
        if case .never = rule.end { return false }
        return true
    }

    /// Runs after the run `after` (from the first when nil), in order: those due by `now`, then at most
    /// `ahead` still to come.
    /// - Returns: the due runs, the next ones, and the index of the series' last run (nil when open-ended).
    public func runs(after: CampaignOccurrence?, now: Int64, ahead: Int) -> (
        due: [CampaignOccurrence], next: [CampaignOccurrence], last: Int?
    ) {
        guard let schedule = try? schedule() else { return ([], [], nil) }
        let moment = after.map { Date(timeIntervalSince1970: Double($0.at) / 1000) }
        let all = schedule.occurrences(endingAfter: moment).map {
            CampaignOccurrence(index: $0.index, local: $0.local, at: Int64($0.start.timeIntervalSince1970 * 1000))
        }.filter { $0.index > (after?.index ?? -1) }
        let due = all.filter { $0.at <= now }
        let next = Array(all.filter { $0.at > now }.prefix(ahead))
        let last = isFinite ? schedule.occurrences().last?.index : nil
        return (due, next, last)
    }

    /// Stored form: `{"every": RULE, "time_zone": ZONE, "start": "YYYY-MM-DD HH:MM"}`.
    public var json: JSON {
        .object([
            "every": .string(every), "time_zone": .string(timeZone.identifier), "start": .string("\(start)"),
        ])
    }

    /// Reads the stored form back; nil when it is not one.
    public init?(json: JSON) {
        guard let zoneName = json["time_zone"]?.stringValue, let zone = TimeZone(identifier: zoneName),
            let every = json["every"]?.stringValue, let rule = try? RecurrenceRule(parsing: every, timeZone: zone),
            let startText = json["start"]?.stringValue, let start = try? LocalDateTime(parsing: startText),
            let value = try? CampaignRecurrence(rule: rule, timeZone: zone, start: start)
        else { return nil }
        self = value
    }
}

/// One run of a recurring campaign's series.
public struct CampaignOccurrence: Sendable, Equatable {
    /// Position in the series, from 0; a run is recorded once per index (`CampaignRunStore`).
    public var index: Int
    /// The wall-clock time the rule gives, in the campaign's zone.
    public var local: LocalDateTime
    /// The instant it is due (ms since 1970).
    public var at: Int64

    public init(index: Int, local: LocalDateTime, at: Int64) {
        self.index = index
        self.local = local
        self.at = at
    }
}

extension CampaignRecurrence {
    /// Reads the officer's `--every`, `--at`, `--until` (`--tz` is `zone`), checked together.
    /// - Parameters:
    ///   - every: an RRULE value (`FREQ=MONTHLY;BYDAY=1TU`, `COUNT=` or `UNTIL=` allowed).
    ///   - at: the first run: `YYYY-MM-DD HH:MM` in `zone`, or RFC 3339 (read as `zone`'s wall time).
    ///   - until: the last day a run may fall on (`YYYY-MM-DD`, to the end of that day, or `YYYY-MM-DD HH:MM`).
    /// - Throws: `CampaignError.invalid` with one sentence naming the option to fix.
    public init(every: String, at: String, until: String?, zone: TimeZone) throws(CampaignError) {
        func fail(_ option: String, _ reason: String) -> CampaignError {
            .invalid("\(option): \(reason.hasSuffix(".") ? reason : reason + ".")")
        }
        var rule: RecurrenceRule
        do {
            rule = try RecurrenceRule(parsing: every, timeZone: zone)
        } catch {
            if case .invalid(_, _, let reason) = error { throw fail("--every", reason) }
            throw fail("--every", "\(error)")
        }
        let start: LocalDateTime
        if let local = try? LocalDateTime(parsing: at) {
            start = local
        } else if let ms = WallClock.parseRFC3339(at) {
            start = zone.localDateTime(for: Date(timeIntervalSince1970: Double(ms) / 1000))
        } else {
            throw fail("--at", "'\(at)' is not a time like \"2027-01-05 10:00\" or 2027-01-05T10:00:00+01:00")
        }
        // Runs fall on whole minutes, as event occurrences do (and as the stored rule is read back).
        guard start.second == 0 else {
            throw fail("--at", "'\(at)' has seconds; a recurring campaign runs on a minute")
        }
        if let until {
            let trimmed = until.trimmingCharacters(in: .whitespaces)
            let last: LocalDateTime
            if let local = try? LocalDateTime(parsing: trimmed) {
                last = local
            } else if let day = try? LocalDateTime(parsing: trimmed + " 23:59") {
                last = LocalDateTime(year: day.year, month: day.month, day: day.day, hour: 23, minute: 59, second: 59)
            } else {
                throw fail("--until", "'\(until)' is not a day like 2027-12-31 (or a time like \"2027-12-31 18:00\")")
            }
            if case .never = rule.end {
            } else {
                throw fail("--until", "the rule already ends with COUNT or UNTIL; give one end, not both")
            }
            guard last >= start else { throw fail("--until", "\(until) is before --at \(start); no run would be left") }
            rule.end = .until(zone.instant(for: last))
        }
        let first = rule.localStarts(from: start, timeZone: zone, horizon: nil, limit: 1).starts.first
        guard first == start else {
            let hint = first.map { "; its first run on or after it is \($0)" } ?? ""
            throw fail(
                "--at", "\(start) (a \(start.weekday.name)) is not a time the rule \(rule.icalendar) picks\(hint)")
        }
        do {
            try self.init(rule: rule, timeZone: zone, start: start)
        } catch {
            // Too many runs: the end given by --until, when it is given, is the one to move.
            if case .invalid(_, _, let reason) = error { throw fail(until == nil ? "--every" : "--until", reason) }
            throw fail("--every", "\(error)")
        }
    }
}
