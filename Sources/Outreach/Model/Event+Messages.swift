import Foundation

/// What an event message is for; stored in the message's data as `event.role`.
public enum EventMessageRole: String, Sendable {
    case invitation, update, cancellation, reminder
}

extension Event {
    /// The message `data` of one event message: the event's own data (`events create --data`) at
    /// the top level, and `event`, what the composer needs to build `event` for the template and
    /// the ICS (schedule texts, titles, uid, sequence, role, occurrence index), without reading the
    /// store at send time.
    /// `cancelledOccurrence` is the wall-clock start of the one occurrence a cancellation is about
    /// (its RECURRENCE-ID); nil for the whole event. `previous` is the event as it was before an
    /// update (`event.previous`), so the update can say what changed.
    public func messageData(
        role: EventMessageRole, occurrence: Int?, cancelledOccurrence: LocalDateTime? = nil,
        previous: Event? = nil, extra: JSON = .object([:])
    ) -> JSON {
        var e = descriptionFields
        e["role"] = .string(role.rawValue)
        e["name"] = .string(name)
        e["uid"] = .string(uid)
        e["sequence"] = JSON(sequence)
        if let id { e["id"] = JSON(Int(id)) }
        if let occurrence { e["occurrence"] = JSON(occurrence) }
        if let cancelledOccurrence { e["cancelled_occurrence"] = .string("\(cancelledOccurrence)") }
        if let previous { e["previous"] = .object(previous.descriptionFields) }
        var o = data.objectValue ?? [:]
        for (k, v) in extra.objectValue ?? [:] { o[k] = v }
        o["event"] = .object(e)
        return .object(o)
    }

    /// What the event is — title, translations, place, schedule texts — as `data.event` carries it
    /// (and `data.event.previous` for the event before an update).
    var descriptionFields: [String: JSON] {
        let t = schedule.texts
        var e: [String: JSON] = [
            "title": .string(title), "schedule_start": .string(t.start), "schedule_time_zone": .string(t.timeZone),
            "schedule_duration": .string(t.duration), "schedule_exdates": .array(t.exdates.map { .string($0) }),
            "schedule_reminders": .array(t.reminders.map { .string($0) }),
        ]
        if !titleTranslations.isEmpty { e["titles"] = titles.translationsJSON }
        if let r = t.rrule { e["schedule_rrule"] = .string(r) }
        if let location { e["location"] = .string(location) }
        if online { e["online"] = .bool(true) }
        return e
    }
}

extension Event {
    /// The update a person should get instead of `notice` when an update `waiting` for them was not
    /// sent yet: `notice` telling what changed since the state `waiting` started from (its
    /// `previous`). Nil when `waiting` has no `previous` (an invitation): they never had one, and get
    /// the current invitation instead.
    public static func supersedingNotice(_ notice: JSON, waiting: JSON) -> JSON? {
        guard case .object(let before)? = waiting["event"]?["previous"], case .object(var o) = notice,
            case .object(var e)? = o["event"]
        else { return nil }
        e["previous"] = .object(before)
        o["event"] = .object(e)
        return .object(o)
    }
}

/// What an event was (or is): title, place and schedule, read back from `data.event` or
/// `data.event.previous`.
public struct EventDescription: Sendable {
    public var titles: LocalizedTitle
    public var location: String?
    public var schedule: EventSchedule
    /// `events create --online`.
    public var online: Bool

    init?(_ e: JSON?) {
        guard let e, let title = e["title"]?.stringValue, let start = e["schedule_start"]?.stringValue,
            let tz = e["schedule_time_zone"]?.stringValue, let duration = e["schedule_duration"]?.stringValue,
            let schedule = try? EventSchedule(
                start: start, timeZone: tz, duration: duration, rrule: e["schedule_rrule"]?.stringValue,
                exdates: (e["schedule_exdates"]?.arrayValue ?? []).compactMap(\.stringValue),
                reminders: (e["schedule_reminders"]?.arrayValue ?? []).compactMap(\.stringValue))
        else { return nil }
        self.titles = LocalizedTitle(title, translationsJSON: e["titles"])
        self.location = e["location"]?.stringValue
        self.schedule = schedule
        self.online = e["online"] == .bool(true)
    }

    /// The clock the times are told by: the reader's for an online event (`online`, or a place that
    /// is a link) and one without a place; the place's for an in-person one.
    static func clock(online: Bool, location: String?) -> EventWhen.Clock {
        guard let l = location?.trimmingCharacters(in: .whitespaces), !l.isEmpty, !online, !isLink(l) else {
            return .reader
        }
        return .place
    }

    /// A place that is a link (`https://meet.example/…`): the event is held online.
    static func isLink(_ location: String?) -> Bool {
        let l = (location ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        return l.hasPrefix("http://") || l.hasPrefix("https://")
    }

    var clock: EventWhen.Clock { Self.clock(online: online, location: location) }
}

/// The event fields a message carries in `data.event` (see `Event.messageData`), read back.
public struct EventMessageInfo: Sendable {
    public var role: EventMessageRole
    public var titles: LocalizedTitle
    public var uid: String
    public var sequence: Int
    public var location: String?
    public var schedule: EventSchedule
    public var occurrence: Int?
    /// The one occurrence a cancellation is about (`cancelled_occurrence`); nil for the whole event.
    public var cancelledOccurrence: LocalDateTime?
    /// The event before the update this message tells of; nil for other messages.
    public var previous: EventDescription?
    /// `events create --online`: times are told by the reader's clock.
    public var online: Bool

    /// The title for every language.
    public var title: String { titles.text }

    public init?(_ data: JSON) {
        guard let e = data["event"], let role = e["role"]?.stringValue.flatMap(EventMessageRole.init),
            let uid = e["uid"]?.stringValue, let description = EventDescription(e)
        else { return nil }
        self.role = role
        self.titles = description.titles
        self.uid = uid
        self.sequence = e["sequence"]?.intValue ?? 0
        self.location = description.location
        self.schedule = description.schedule
        self.occurrence = e["occurrence"]?.intValue
        self.cancelledOccurrence = e["cancelled_occurrence"]?.stringValue.flatMap {
            try? LocalDateTime(parsing: $0, field: .occurrence)
        }
        self.previous = EventDescription(e["previous"])
        self.online = description.online
    }
}

extension Event {
    /// One reminder to queue: which occurrence, which offset, when (ms since 1970).
    public struct PlannedReminder: Sendable, Equatable {
        public var occurrence: Int
        public var offset: String
        public var at: Int64
        /// Which reminder this is, as `reminderKey` spells it for a stored reminder message.
        var key: String { Event.reminderKey(occurrence: occurrence, offset: offset) }
    }

    /// One reminder of one occurrence, whether planned or already queued as a message.
    static func reminderKey(occurrence: Int, offset: String) -> String { "\(occurrence)|\(offset)" }

    /// The reminders still ahead of `now`, for the occurrences that end after it (an open series up
    /// to the rolling horizon).
    public func plannedReminders(now: Int64) -> [PlannedReminder] {
        let moment = Date(timeIntervalSince1970: Double(now) / 1000)
        var out: [PlannedReminder] = []
        for o in schedule.occurrences(endingAfter: moment) {
            for r in o.reminders where r.at > moment {
                out.append(
                    PlannedReminder(
                        occurrence: o.index, offset: r.offset.signed,
                        at: Int64((r.at.timeIntervalSince1970 * 1000).rounded())))
            }
        }
        return out.sorted { ($0.at, $0.occurrence) < ($1.at, $1.occurrence) }
    }
}

/// The templates an event's messages use.
public struct EventTemplates: Sendable {
    public var invitation: String
    public var reminder: String
    public var cancellation: String
    /// What an update tells those who had the invitation: what changed (`event.changes`).
    public var update: String
    public init(
        invitation: String = "event-invitation", reminder: String = "event-reminder",
        cancellation: String = "event-cancellation", update: String = "event-update"
    ) {
        self.invitation = invitation
        self.reminder = reminder
        self.cancellation = cancellation
        self.update = update
    }
}
