import Foundation

/// What an event message is for; stored in the message's data as `event.role`.
public enum EventMessageRole: String, Sendable {
    case invitation, update, cancellation, reminder
}

extension Event {
    /// The message `data` of one event message: `event` carries what the composer needs to build
    /// `event` for the template and the ICS (schedule texts, uid, sequence, role, occurrence index),
    /// without reading the store at send time.
    /// `cancelledOccurrence` is the wall-clock start of the one occurrence a cancellation is about
    /// (its RECURRENCE-ID); nil for the whole event.
    public func messageData(
        role: EventMessageRole, occurrence: Int?, cancelledOccurrence: LocalDateTime? = nil, extra: JSON = .object([:])
    ) -> JSON {
        let t = schedule.texts
        var e: [String: JSON] = [
            "role": .string(role.rawValue), "name": .string(name), "title": .string(title),
            "uid": .string(uid), "sequence": JSON(sequence),
            "schedule_start": .string(t.start), "schedule_time_zone": .string(t.timeZone),
            "schedule_duration": .string(t.duration), "schedule_exdates": .array(t.exdates.map { .string($0) }),
            "schedule_reminders": .array(t.reminders.map { .string($0) }),
        ]
        if let r = t.rrule { e["schedule_rrule"] = .string(r) }
        if let location { e["location"] = .string(location) }
        if let id { e["id"] = JSON(Int(id)) }
        if let occurrence { e["occurrence"] = JSON(occurrence) }
        if let cancelledOccurrence { e["cancelled_occurrence"] = .string("\(cancelledOccurrence)") }
        var o = extra.objectValue ?? [:]
        o["event"] = .object(e)
        return .object(o)
    }
}

/// The event fields a message carries in `data.event` (see `Event.messageData`), read back.
public struct EventMessageInfo: Sendable {
    public var role: EventMessageRole
    public var title: String
    public var uid: String
    public var sequence: Int
    public var location: String?
    public var schedule: EventSchedule
    public var occurrence: Int?
    /// The one occurrence a cancellation is about (`cancelled_occurrence`); nil for the whole event.
    public var cancelledOccurrence: LocalDateTime?

    public init?(_ data: JSON) {
        guard let e = data["event"], let role = e["role"]?.stringValue.flatMap(EventMessageRole.init),
            let title = e["title"]?.stringValue, let uid = e["uid"]?.stringValue,
            let start = e["schedule_start"]?.stringValue, let tz = e["schedule_time_zone"]?.stringValue,
            let duration = e["schedule_duration"]?.stringValue,
            let schedule = try? EventSchedule(
                start: start, timeZone: tz, duration: duration, rrule: e["schedule_rrule"]?.stringValue,
                exdates: (e["schedule_exdates"]?.arrayValue ?? []).compactMap(\.stringValue),
                reminders: (e["schedule_reminders"]?.arrayValue ?? []).compactMap(\.stringValue))
        else { return nil }
        self.role = role
        self.title = title
        self.uid = uid
        self.sequence = e["sequence"]?.intValue ?? 0
        self.location = e["location"]?.stringValue
        self.schedule = schedule
        self.occurrence = e["occurrence"]?.intValue
        self.cancelledOccurrence = e["cancelled_occurrence"]?.stringValue.flatMap {
            try? LocalDateTime(parsing: $0, field: .occurrence)
        }
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
    public init(
        invitation: String = "event-invitation", reminder: String = "event-reminder",
        cancellation: String = "event-cancellation"
    ) {
        self.invitation = invitation
        self.reminder = reminder
        self.cancellation = cancellation
    }
}
