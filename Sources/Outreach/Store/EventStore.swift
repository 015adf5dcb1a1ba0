/// Events: their schedules, and the invitations, updates, cancellations and reminders they queue.
/// Every write is one transaction, on disk when it returns. Besides the errors named, any
/// requirement can throw the backend's own (see `Store`).
public protocol EventStore: AnyObject, Sendable {
    /// Stores a new event and queues, to the list's subscribed members on every channel, its
    /// invitation now, in one transaction. Its reminders are fanned out when they fall due
    /// (`fanOutDueReminders`).
    /// - Parameters:
    ///   - templates: the templates of the invitation and the reminders.
    ///   - now: the current instant (ms since 1970).
    /// - Returns: the event with its id, sequence 0 and state active; what was queued.
    /// - Throws: `EventStoreError.exists` when the name is taken; `StoreError.unknownList`.
    func createEvent(_ event: Event, templates: EventTemplates, now: Int64) throws -> (Event, EventQueued)
    /// - Returns: the event, or nil when there is no such event.
    func event(named name: String) throws -> Event?
    /// - Returns: every event, in the order they were created.
    func events() throws -> [Event]
    /// A changed title, time or place: SEQUENCE + 1, an update queued, and the reminders fanned out
    /// but not yet sent whose occurrence or offset the new schedule no longer has cancelled, in one
    /// transaction.
    /// - Parameter event: the event as read, changed; its `sequence` must be the stored one.
    /// - Returns: the event as stored, and what was queued and cancelled.
    /// - Throws: `EventStoreError.unknown`; `EventStoreError.cancelled`; `EventStoreError.changed`
    ///   when someone changed it since it was read (nothing stored).
    func updateEvent(_ event: Event, templates: EventTemplates, now: Int64) throws -> (Event, EventQueued)
    /// Cancels the event: SEQUENCE + 1, its reminders, invitations and updates not yet sent
    /// cancelled (`event-changed`), a `METHOD:CANCEL` message
    /// queued to the audience with `templates.cancellation`, in one transaction.
    /// - Returns: the cancelled event, and what was queued and cancelled.
    /// - Throws: `EventStoreError.unknown`; `EventStoreError.cancelled` when it already is.
    func cancelEvent(named name: String, templates: EventTemplates, now: Int64) throws -> (Event, EventQueued)
    /// Cancels one occurrence, in one transaction: SEQUENCE + 1, the event stored with its new
    /// exception, a `METHOD:CANCEL` for that occurrence alone (`templates.cancellation`, with
    /// `data.event.cancelled_occurrence`) queued to the audience, that occurrence's reminders not yet
    /// sent cancelled, and the current invitation (for people who join later) made
    /// from the new schedule without queueing it to anyone now.
    /// - Parameters:
    ///   - event: the event as read, its schedule with `occurrence` added to the exceptions; its
    ///     `sequence` must be the stored one.
    ///   - occurrence: the wall-clock start of the cancelled occurrence (its RECURRENCE-ID).
    /// - Returns: the event as stored, and what was queued and cancelled (`invitation` counts the
    ///   cancellation's deliveries).
    /// - Throws: `EventStoreError.unknown`; `.cancelled`; `.changed` when someone changed it since
    ///   it was read (nothing stored).
    func cancelOccurrence(_ event: Event, occurrence: LocalDateTime, templates: EventTemplates, now: Int64) throws
        -> (Event, EventQueued)
    /// Fans out the reminders due by `now` (`Event.dueReminders(now:)`) of every active event, each
    /// (event, occurrence start, offset) once, whoever calls and however often: its marker (a
    /// reminder run) and its deliveries — to the list's members subscribed at this moment, on the
    /// event's channels, with the consent and suppression rules of every event fan-out — are
    /// written in one transaction, and a run already recorded is left alone. A late one past its
    /// use is recorded as skipped.
    /// - Returns: the runs fanned out, their deliveries, the runs skipped.
    @discardableResult
    func fanOutDueReminders(now: Int64) throws -> ReminderFanOut
    /// - Returns: the event's reminder runs, in the order they ran.
    func reminderRuns(eventID: Int64) throws -> [ReminderRun]
}

extension EventStore {
    /// `createEvent(_:templates:now:)` with the default templates.
    public func createEvent(_ event: Event, now: Int64) throws -> (Event, EventQueued) {
        try createEvent(event, templates: EventTemplates(), now: now)
    }
    /// `updateEvent(_:templates:now:)` with the default templates.
    public func updateEvent(_ event: Event, now: Int64) throws -> (Event, EventQueued) {
        try updateEvent(event, templates: EventTemplates(), now: now)
    }
    /// `cancelEvent(named:templates:now:)` with the default templates.
    public func cancelEvent(named name: String, now: Int64) throws -> (Event, EventQueued) {
        try cancelEvent(named: name, templates: EventTemplates(), now: now)
    }
}
