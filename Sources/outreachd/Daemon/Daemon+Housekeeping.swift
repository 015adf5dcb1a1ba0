import Foundation
import Outreach

extension Daemon {
    /// How often the main thread queues the reminders open-ended event series have come within reach of.
    static let housekeepingInterval: UInt64 = 3_600_000_000_000

    /// Queues the reminders of open-ended event series that the rolling horizon has reached, and
    /// wakes the channel loops when some were queued (one may be due soon after a long stop).
    static func extendReminders(_ store: any Store, scheduler: Scheduler) {
        do {
            let q = try store.extendOpenSeriesReminders(now: WallClock.nowMillis())
            guard q.reminders > 0 else { return }
            Log.info(
                "queued \(q.reminders) reminder deliveries (\(q.reminderMessages) reminders) of open-ended event series"
            )
            scheduler.wakeAll()
        } catch {
            Log.error("could not queue the reminders of open-ended event series: \(CLI.sentence(error))")
        }
    }
}
