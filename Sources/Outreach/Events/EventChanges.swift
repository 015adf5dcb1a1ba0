import Foundation

/// What an update, or one occurrence's cancellation, changed: for the command to say.
public struct EventChanges: Sendable, Equatable {
    /// The parts of the definition that differ: `title` (or one of its translations), `location`,
    /// `start`, `time_zone`, `duration`, `rrule`, `reminders`, `data`, `online`, `prefer`.
    public var fields: [String]
    public var exceptions: ExceptionChanges
    /// Occurrences still to end that the new schedule has and the old one had not (wall-clock
    /// starts in the event's zone).
    public var occurrencesAdded: [LocalDateTime]
    /// Occurrences still to end that the old schedule had and the new one has not.
    public var occurrencesRemoved: [LocalDateTime]

    /// Compares the event before and after, looking at the occurrences that end after `now`.
    public init(from old: Event, to new: Event, exceptions: ExceptionChanges, now: Date) {
        let (a, b) = (old.schedule.texts, new.schedule.texts)
        var fields: [String] = []
        if old.titles != new.titles { fields.append("title") }
        if old.location != new.location { fields.append("location") }
        if a.start != b.start { fields.append("start") }
        if a.timeZone != b.timeZone { fields.append("time_zone") }
        if a.duration != b.duration { fields.append("duration") }
        if a.rrule != b.rrule { fields.append("rrule") }
        if a.reminders != b.reminders { fields.append("reminders") }
        if old.data != new.data { fields.append("data") }
        if old.online != new.online { fields.append("online") }
        if old.prefer != new.prefer { fields.append("prefer") }
        self.fields = fields
        self.exceptions = exceptions
        let before = old.schedule.occurrences(endingAfter: now)
        let after = new.schedule.occurrences(endingAfter: now)
        let (beforeStarts, afterStarts) = (Set(before.map(\.start)), Set(after.map(\.start)))
        occurrencesAdded = after.filter { !beforeStarts.contains($0.start) }.map(\.local)
        occurrencesRemoved = before.filter { !afterStarts.contains($0.start) }.map(\.local)
    }

    /// `changes` in the `--json` output of `events update` and `events cancel --occurrence`.
    public var json: JSON {
        let texts = { (l: [LocalDateTime]) in JSON.array(l.map { .string("\($0)") }) }
        return .object([
            "fields": .array(fields.map { .string($0) }),
            "exceptions_added": texts(exceptions.added),
            "exceptions_removed": texts(exceptions.removed),
            "exceptions_moved": .array(
                exceptions.moved.map { .object(["from": .string("\($0.from)"), "to": .string("\($0.to)")]) }),
            "occurrences_added": texts(occurrencesAdded),
            "occurrences_removed": texts(occurrencesRemoved),
        ])
    }

    /// One line per kind of change, for the text output ("exceptions added: 2027-03-18 18:00").
    public var lines: [String] {
        func list(_ items: [String]) -> String {
            let shown = items.prefix(6).joined(separator: ", ")
            return items.count > 6 ? shown + " and \(items.count - 6) more" : shown
        }
        var out: [String] = []
        if !fields.isEmpty { out.append("changed: " + fields.joined(separator: ", ")) }
        if !exceptions.added.isEmpty { out.append("exceptions added: " + list(exceptions.added.map { "\($0)" })) }
        if !exceptions.removed.isEmpty {
            out.append("exceptions removed: " + list(exceptions.removed.map { "\($0)" }))
        }
        if !exceptions.moved.isEmpty {
            out.append("exceptions moved: " + list(exceptions.moved.map { "\($0.from) → \($0.to)" }))
        }
        if !occurrencesAdded.isEmpty { out.append("occurrences added: " + list(occurrencesAdded.map { "\($0)" })) }
        if !occurrencesRemoved.isEmpty {
            out.append("occurrences removed: " + list(occurrencesRemoved.map { "\($0)" }))
        }
        return out
    }
}

/// What `events update` asks to change, as typed; nil keeps the current value.
public struct EventUpdateRequest: Sendable, Equatable {
    public var schedule: EventScheduleChange
    /// The empty text removes the place.
    public var location: String?
    /// `--title` values: the title for every language, and languages' own set or removed.
    public var title: LocalizedTitle.Changes
    /// `--data`: replaces the event's template data (a JSON object).
    public var data: JSON?
    /// `--online` (true) or `--in-person` (false).
    public var online: Bool?
    /// `--prefer`: the default for what is queued from now on (the update, the moved reminders,
    /// joiners); it comes with a change that is sent, as the update goes to everyone.
    public var prefer: ChannelPreference?

    public init(
        schedule: EventScheduleChange = EventScheduleChange(), location: String? = nil,
        title: LocalizedTitle.Changes = LocalizedTitle.Changes(), data: JSON? = nil, online: Bool? = nil,
        prefer: ChannelPreference? = nil
    ) {
        self.prefer = prefer
        self.schedule = schedule
        self.location = location
        self.title = title
        self.data = data
        self.online = online
    }

    /// True when nothing would change.
    public var isEmpty: Bool {
        schedule.isEmpty && location == nil && title.isEmpty && data == nil && online == nil
    }
}

/// The result of an event command: the event as stored, what was queued and cancelled, and (for an
/// update or one occurrence's cancellation) what changed.
public struct EventOutcome: Sendable {
    public var event: Event
    public var queued: EventQueued
    public var changes: EventChanges?

    public init(event: Event, queued: EventQueued, changes: EventChanges? = nil) {
        self.event = event
        self.queued = queued
        self.changes = changes
    }
}

extension EventPlanner {
    /// `events update`: the change applied to the stored event (exceptions kept, moved with a new
    /// start, added and dropped as asked), its messages checked to render, then stored with the
    /// update invitation queued; the reminders follow the new schedule (`EventStore.updateEvent`).
    /// - Throws: `EventStoreError.unknown`, `.cancelled`, `.changed`; `EventError` naming the
    ///   option; `EventPlanError` for templates.
    public func update(named name: String, _ request: EventUpdateRequest, now: Int64) throws -> EventOutcome {
        guard var e = try store.event(named: name) else { throw EventStoreError.unknown(name) }
        guard e.state == .active else { throw EventStoreError.cancelled(name) }
        let old = e
        let (schedule, exceptions) = try e.schedule.applying(request.schedule)
        e.schedule = schedule
        if let l = request.location { e.location = l.isEmpty ? nil : l }
        e.titles = e.titles.applying(request.title)
        if let d = request.data { e.data = d }
        if let o = request.online { e.online = o }
        if let p = request.prefer { e.prefer = p }
        let names = eventTemplates
        try check(e, names, previous: old)
        let (stored, queued) = try store.updateEvent(e, templates: names, now: now)
        return EventOutcome(
            event: stored, queued: queued,
            changes: EventChanges(from: old, to: stored, exceptions: exceptions, now: Self.date(now)))
    }

    /// `events cancel`: the whole event, or with `occurrence` ("YYYY-MM-DD HH:MM" in the event's
    /// zone) that one meeting: a cancellation for that date only, the exception added, its
    /// reminders cancelled (`EventStore.cancelOccurrence`).
    /// - Throws: `EventPlanError.missingTemplate` without `event-cancellation`;
    ///   `EventStoreError.unknown`, `.cancelled`, `.changed`; `EventError` for `--occurrence`.
    public func cancel(named name: String, occurrence: String? = nil, now: Int64) throws -> EventOutcome {
        let names = eventTemplates
        guard templates.library.has(names.cancellation) else {
            throw EventPlanError.missingTemplate(names.cancellation, directory: templatesDirectory)
        }
        guard let occurrence else {
            let (e, q) = try store.cancelEvent(named: name, templates: names, now: now)
            return EventOutcome(event: e, queued: q)
        }
        guard var e = try store.event(named: name) else { throw EventStoreError.unknown(name) }
        guard e.state == .active else { throw EventStoreError.cancelled(name) }
        let old = e
        let local = try LocalDateTime(parsing: occurrence, field: .occurrence)
        e.schedule = try e.schedule.cancelling(local, now: Self.date(now), event: name)
        let (stored, queued) = try store.cancelOccurrence(e, occurrence: local, templates: names, now: now)
        return EventOutcome(
            event: stored, queued: queued,
            changes: EventChanges(
                from: old, to: stored, exceptions: ExceptionChanges(added: [local]), now: Self.date(now)))
    }

    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }
}
