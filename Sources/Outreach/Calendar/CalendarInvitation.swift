import Foundation

/// An iCalendar object (RFC 5545, iTIP method per RFC 5546) inviting to, updating or cancelling an event.
public struct CalendarInvitation: Sendable {
    public enum Method: String, Sendable { case request = "REQUEST", cancel = "CANCEL" }

    public var method: Method
    /// Stable for the event's whole life, e.g. "evt-42@outreach.example.org".
    public var uid: String
    /// 0 for the first invitation; the caller raises it on every change and on cancel.
    public var sequence: Int
    /// When this version was made (DTSTAMP).
    public var stamp: Date
    public var schedule: EventSchedule
    public var summary: String
    public var location: String?
    public var description: String?
    public var organizer: CalendarAddress
    /// Usually the one recipient of this message, asked to reply (RSVP).
    public var attendees: [CalendarAddress]
    public var productID: String
    /// The one occurrence this is about (RFC 5545 RECURRENCE-ID, the wall-clock start the rule gives):
    /// the VEVENT then describes that instance alone, without RRULE or EXDATE, as a cancellation of
    /// one date does (RFC 5546 §3.2.5). Nil for the whole series.
    public var recurrenceID: LocalDateTime?

    public init(
        method: Method, uid: String, sequence: Int, stamp: Date, schedule: EventSchedule, summary: String,
        location: String? = nil, description: String? = nil, organizer: CalendarAddress,
        attendees: [CalendarAddress], productID: String = "-//Outreach//outreachd//EN",
        recurrenceID: LocalDateTime? = nil
    ) {
        self.method = method
        self.uid = uid
        self.sequence = sequence
        self.stamp = stamp
        self.schedule = schedule
        self.summary = summary
        self.location = location
        self.description = description
        self.organizer = organizer
        self.attendees = attendees
        self.productID = productID
        self.recurrenceID = recurrenceID
    }

    /// MIME type for the `text/calendar` part and the `.ics` attachment.
    public var contentType: String { "text/calendar; charset=UTF-8; method=\(method.rawValue)" }
}
