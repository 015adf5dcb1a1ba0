import Foundation

/// A service of `serve` (docs/scale-out.md, "Wake-ups"): listens, on a session of its own, for the
/// work any process queues in a shared database (`WorkNotifications`) and wakes this node's
/// channel loops for the channels named. A hint, with polling behind it: when the session is
/// lost (a server restart) it subscribes again with a growing pause (1 s doubling to 30 s), and
/// wakes every loop once it listens again, since what was notified meanwhile is lost. A backend
/// with nothing to listen to (SQLite) ends the thread at once. Started after the channel loops,
/// drained before them.
public final class WorkWakeups: Service {
    let source: any WorkNotifications
    let log: LogSink
    let wake: @Sendable (Set<String>) -> Void
    let wakeAll: @Sendable () -> Void
    let firstRetryMillis: Int64
    let maxRetryMillis: Int64
    /// The longest one wait on the session: how soon a drain is noticed.
    let waitMillis: Int
    private let thread = ServiceThread()

    /// - Parameters:
    ///   - wake: called with the channels named by notifications (from the service's thread).
    ///   - wakeAll: called after the session was lost and made again.
    ///   - firstRetryMillis: the first pause before subscribing again; doubled after each failure.
    ///   - maxRetryMillis: the longest pause.
    public init(
        source: any WorkNotifications, firstRetryMillis: Int64 = 1_000, maxRetryMillis: Int64 = 30_000,
        waitMillis: Int = 500, log: @escaping LogSink, wake: @escaping @Sendable (Set<String>) -> Void,
        wakeAll: @escaping @Sendable () -> Void
    ) {
        self.source = source
        self.firstRetryMillis = firstRetryMillis
        self.maxRetryMillis = maxRetryMillis
        self.waitMillis = waitMillis
        self.log = log
        self.wake = wake
        self.wakeAll = wakeAll
    }

    public var serviceName: String { "work notifications" }

    /// Returns after the first attempt to subscribe, so a node listens before it answers HTTP; a
    /// failure is logged (the node polls meanwhile) and the thread tries again.
    public func start() throws {
        let ready = ThreadSignal()
        thread.start(name: "work-notify") { [self] in self.run(ready: ready) }
        ready.wait()
    }

    public func drain() { thread.drain() }

    private func run(ready: ThreadSignal) {
        var subscription: (any WorkSubscription)?
        var pause = firstRetryMillis
        var attempts = 0
        var reported = false
        while !thread.stopping.isSet {
            if subscription == nil {
                attempts += 1
                do {
                    guard let s = try source.subscribeToWork() else {
                        if attempts == 1 { ready.signal() }
                        return
                    }
                    subscription = s
                    pause = firstRetryMillis
                    if attempts > 1 {
                        log(.notice, "work notifications: listening again")
                        wakeAll()
                    }
                    reported = false
                } catch {
                    if !reported {
                        log(.error, "work notifications: \(error); channel loops poll until it listens again")
                        reported = true
                    }
                }
                if attempts == 1 { ready.signal() }
                if subscription == nil {
                    sleep(pause)
                    pause = min(pause * 2, maxRetryMillis)
                }
                continue
            }
            do {
                let channels = try subscription?.next(timeoutMillis: waitMillis) ?? []
                if !channels.isEmpty { wake(channels) }
            } catch {
                log(.warning, "work notifications: \(error); listening again after a pause, polling meanwhile")
                reported = true
                subscription = nil
                sleep(pause)
                pause = min(pause * 2, maxRetryMillis)
            }
        }
    }

    /// Sleeps `millis`, or less when drained.
    private func sleep(_ millis: Int64) {
        let seen = thread.wakeup.current
        if thread.stopping.isSet { return }
        thread.wakeup.wait(loop: 0, after: seen, until: WallClock.nowMillis() + millis)
    }
}
