/// How a node hears that another process queued work (docs/scale-out.md, "Wake-ups"): a session
/// that the database tells, at each commit that made deliveries due, which channels they are on.
/// A hint only: notifications sent while no session listens are lost, and the channel loops poll
/// behind it (`[storage] poll`). One SQLite file has one process writing it: nothing to listen to.
public protocol WorkNotifications: AnyObject, Sendable {
    /// A new session listening for work on a connection of its own (never the store's, so waiting
    /// on it holds nothing up); nil when the backend has no such thing (SQLite).
    /// - Throws: the backend's error when the database cannot be reached.
    func subscribeToWork() throws -> (any WorkSubscription)?
}

/// One listening session, used by one thread.
public protocol WorkSubscription: AnyObject {
    /// Waits at most `timeoutMillis` for notifications.
    /// - Returns: the channels named since the last call (empty when none came in time).
    /// - Throws: the backend's error when the session is lost (the server restarted); the caller
    ///   drops it and subscribes again.
    func next(timeoutMillis: Int) throws -> Set<String>
}
