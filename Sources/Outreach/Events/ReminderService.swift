import Foundation
import Synchronization

/// Fans out event reminders when they fall due (`EventStore.fanOutDueReminders`), a service of
/// `serve`: once at start (what fell due while the daemon was down), then at the next reminder's
/// instant, and at least every `intervalMillis` — events are created and changed by other
/// processes (`events create`, `events update`), which cannot tell this one. Each run is once per
/// (event, occurrence, offset) whoever else runs it (`work --until-idle`, another node), so a
/// look too many costs a read, never a second reminder.
public final class ReminderService: Service {
    let store: any EventStore
    let wake: @Sendable (Set<String>) -> Void
    let log: LogSink
    let clock: any TimeSource
    let intervalMillis: Int64
    /// Whether this node fans reminders out now (`DutyLeadership`: one node of several does).
    let leads: @Sendable () -> Bool
    private let thread = ServiceThread()

    /// - Parameters:
    ///   - intervalMillis: the longest sleep between two looks.
    ///   - leads: asked before each look; a node that does not lead looks again after `intervalMillis`.
    ///   - wake: told the channels that got reminder deliveries (the scheduler's loops).
    public init(
        store: any EventStore, clock: any TimeSource = SystemTime(), intervalMillis: Int64 = 15_000,
        log: @escaping LogSink, leads: @escaping @Sendable () -> Bool = { true },
        wake: @escaping @Sendable (Set<String>) -> Void
    ) {
        self.leads = leads
        self.store = store
        self.clock = clock
        self.intervalMillis = intervalMillis
        self.log = log
        self.wake = wake
    }

    public var serviceName: String { "event reminders" }

    /// Fans out what is due now (a failure is logged and tried again by the thread), then starts
    /// the thread that keeps looking.
    public func start() throws {
        _ = step()
        thread.start(name: "reminders") { [self] in self.run() }
    }

    public func drain() { thread.drain() }

    /// Fans out the reminders due now. Returns when the next one falls due (nil: none ahead), or
    /// nil after a failure (logged).
    func step() -> (failed: Bool, next: Int64?) {
        guard leads() else { return (false, nil) }
        do {
            let now = clock.nowMillis()
            let out = try store.fanOutDueReminders(now: now)
            if out.reminders > 0 || out.skipped > 0 {
                log(
                    .info,
                    "reminders: \(out.reminders) fanned out (\(out.deliveries) deliveries)"
                        + (out.skipped > 0 ? ", \(out.skipped) skipped as too late" : ""))
            }
            if !out.channels.isEmpty { wake(out.channels) }
            return (false, ScheduledReminders(events: try store.events(), now: now).next)
        } catch {
            log(.error, "reminders: \(error)")
            return (true, nil)
        }
    }

    private func run() {
        var failures = 0
        var next: Int64? = nil
        while !thread.stopping.isSet {
            let seen = thread.wakeup.current
            let pause = failures == 0 ? intervalMillis : min(30_000, 500 << Int64(min(failures, 6)))
            // The clock says when the next reminder is due; the sleep itself is on the wall clock.
            let sleep = min(pause, max(0, (next ?? Int64.max) - clock.nowMillis()))
            thread.wakeup.wait(loop: 0, after: seen, until: WallClock.nowMillis() + sleep)
            if thread.stopping.isSet { return }
            let r = step()
            failures = r.failed ? failures + 1 : 0
            next = r.next
        }
    }
}
