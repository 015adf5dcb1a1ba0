/// Events: their schedules, and the invitations, updates, cancellations and reminders they queue.
public protocol EventStore: AnyObject, Sendable {
    func createEvent(_ event: Event, templates: EventTemplates, now: Int64) throws -> (Event, EventQueued)
    func event(named name: String) throws -> Event?
    func events() throws -> [Event]
    /// A changed title, time or place: SEQUENCE + 1, pending reminders replaced, an update queued.
    func updateEvent(_ event: Event, templates: EventTemplates, now: Int64) throws -> (Event, EventQueued)
    func cancelEvent(named name: String, templates: EventTemplates, now: Int64) throws -> (Event, EventQueued)
    /// Queues, once each, the reminders of open-ended series that the rolling horizon has reached.
    @discardableResult
    func extendOpenSeriesReminders(now: Int64) throws -> EventQueued
}

extension EventStore {
    public func createEvent(_ event: Event, now: Int64) throws -> (Event, EventQueued) {
        try createEvent(event, templates: EventTemplates(), now: now)
    }
    public func updateEvent(_ event: Event, now: Int64) throws -> (Event, EventQueued) {
        try updateEvent(event, templates: EventTemplates(), now: now)
    }
    public func cancelEvent(named name: String, now: Int64) throws -> (Event, EventQueued) {
        try cancelEvent(named: name, templates: EventTemplates(), now: now)
    }
}
