/// The outbox of events for `[hooks.NAME]` (docs/hooks.md). A delivery reaching `sent`,
/// `delivered`, `bounced`, `complained` or `dead`, and a membership becoming `subscribed` or
/// `unsubscribed`, is recorded as an event in the transaction that made the change — whatever made
/// it — so a change that committed has its event and one that rolled back has none; a write that
/// leaves the state as it was records nothing. Only the types some hook subscribes to are recorded,
/// and a hook's own deliveries (`Hook.channelPrefix`) record none.
public protocol HookOutbox: AnyObject, Sendable {
    /// The event types recorded from now on, by every process sharing the store; replaces the set
    /// (empty: nothing is recorded). Writes nothing when the set is already this one.
    func subscribeHooks(to types: Set<HookEventType>) throws
    /// Moves up to `limit` recorded events, oldest first, into the delivery queue, in one
    /// transaction: each becomes one message (`HookEvent.messageData`) with one delivery per hook
    /// of `hooks` that wants its type (channel `Hook.channel`, address the event's type, due at
    /// `now`), and leaves the outbox, also when no hook wants it. So an event is handed to each hook
    /// at most once, and a crash leaves it either in the outbox or in the queue.
    /// - Returns: how many events left the outbox and which channels got deliveries.
    func fanOutHookEvents(to hooks: [Hook], limit: Int, now: Int64) throws -> HookFanOutResult
    /// Events recorded and not yet moved to the queue.
    func pendingHookEvents() throws -> Int
}

/// What one fan-out did.
public struct HookFanOutResult: Sendable, Equatable {
    /// Events that left the outbox (with or without a hook that wanted them).
    public var events = 0
    /// Deliveries queued, by hook channel.
    public var deliveries: [String: Int] = [:]
    public init() {}
}
