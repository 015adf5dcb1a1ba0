import Foundation

/// A condition variable a channel's loops sleep on until their next due time, or until new work
/// arrives that is due before they would wake anyway (a trigger for later does not wake them).
final class Wakeup: @unchecked Sendable {
    // NSCondition guards `generation` and `sleepers`; @unchecked because they are only touched under it.
    private let condition = NSCondition()
    private var generation: UInt64 = 0
    /// Loop index → the instant (ms) it sleeps until.
    private var sleepers: [Int: Int64] = [:]
    private let loops: Int

    init(loops: Int) { self.loops = loops }

    var current: UInt64 {
        condition.lock()
        defer { condition.unlock() }
        return generation
    }

    /// Work due at `dueAt` (ms) was written. Wakes the loops unless all of them sleep and would
    /// wake before it is due; a loop that is running sees the new generation and does not sleep.
    func signal(dueAt: Int64 = 0) {
        condition.lock()
        if sleepers.count < loops || dueAt < (sleepers.values.min() ?? 0) {
            generation &+= 1
            condition.broadcast()
        }
        condition.unlock()
    }

    /// Sleeps until `deadline` (ms) unless a signal came after `seen` was read.
    func wait(loop: Int, after seen: UInt64, until deadline: Int64) {
        let date = Date(timeIntervalSince1970: Double(deadline) / 1000)
        condition.lock()
        sleepers[loop] = deadline
        while generation == seen {
            if !condition.wait(until: date) { break }
        }
        sleepers[loop] = nil
        condition.unlock()
    }
}
