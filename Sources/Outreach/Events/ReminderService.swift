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
    /// Whether this node fans reminders out now (`DutyLeadership`: one node of several does).
    let leads: @Sendable () -> Bool
    private let loop: PollingLoop

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
        self.loop = PollingLoop(intervalMillis: intervalMillis, clock: clock)
        self.log = log
        self.wake = wake
    }

    public var serviceName: String { "event reminders" }

    /// Fans out what is due now (a failure is logged and tried again by the thread), then starts
    /// the thread that keeps looking.
    public func start() throws {
        loop.start(name: "reminders", first: step()) { [self] in self.step() }
    }

    public func drain() { loop.drain() }

    /// Fans out the reminders due now. Returns when the next one falls due (nil: none ahead), or
    /// a failure (logged).
    func step() -> PollStep {
        guard leads() else { return PollStep() }
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
            return PollStep(next: ScheduledReminders(events: try store.events(), now: now).next)
        } catch {
            log(.error, "reminders: \(error)")
            return PollStep(failed: true)
        }
    }
}
