import Foundation

/// A meeting (or series) sent to a list: its schedule, place, invitation identity and state.
public struct Event: Sendable {
    public enum State: String, Sendable { case active, cancelled }

    public var id: Int64?
    public var name: String
    /// One line: control characters are removed however it is set (it becomes a mail subject).
    public var title: String { didSet { title = title.singleLine } }
    /// The title in other languages (canonical tag → title); `titles` puts both together.
    public var titleTranslations: [String: String] = [:]
    public var list: String
    public var channels: [CampaignChannel]
    public var schedule: EventSchedule
    public var location: String? { didSet { location = location?.singleLine } }
    /// The iCalendar UID, stable for the event's whole life.
    public var uid: String
    /// The iCalendar SEQUENCE: 0 at creation, raised on every change and on cancel.
    public var sequence: Int
    public var state: State
    public var invitationMessageID: Int64?
    public var reminderMessageIDs: [Int64]
    public var createdAt: Int64
    public var updatedAt: Int64
    /// Template data every message of the event carries at its top level (`events create --data`):
    /// `description`, `rsvp_url`, `note`, … A JSON object.
    public var data: JSON = .object([:])
    /// Held online (`--online`): its times are told by each reader's clock, with the organiser's
    /// beside; an in-person one's (a place that is not a link) by the place's.
    public var online = false
    /// Which channel someone with both an email and a phone gets when the event has one for each
    /// and they prefer none (`--prefer`; `RecipientAddress.choice`).
    public var prefer: ChannelPreference = .email

    /// The title with its translations: what a template sees as `event.title` is the one of the
    /// language it is written in.
    public var titles: LocalizedTitle {
        get { LocalizedTitle(title, translations: titleTranslations) }
        set {
            title = newValue.text
            titleTranslations = newValue.translations
        }
    }

    public init(
        name: String, title: String, list: String, channels: [CampaignChannel], schedule: EventSchedule,
        location: String?, uid: String
    ) {
        self.name = name
        self.title = title.singleLine
        self.list = list
        self.channels = channels
        self.schedule = schedule
        self.location = location?.singleLine
        self.uid = uid
        self.sequence = 0
        self.state = .active
        self.reminderMessageIDs = []
        self.createdAt = WallClock.nowMillis()
        self.updatedAt = createdAt
    }
}

/// An event that cannot be stored or changed as asked.
public enum EventStoreError: Error, Sendable, CustomStringConvertible {
    case exists(String)
    case unknown(String)
    case cancelled(String)
    /// Someone else changed the event in between; run the command again.
    case changed(String)

    public var description: String {
        switch self {
        case .exists(let n): "An event named '\(n)' exists already; pick another name or use `events update \(n)`."
        case .unknown(let n): "There is no event named '\(n)'; `outreachd events list` shows them."
        case .cancelled(let n): "The event '\(n)' is cancelled and cannot be changed."
        case .changed(let n): "The event '\(n)' was changed by someone else meanwhile; run the command again."
        }
    }
}
