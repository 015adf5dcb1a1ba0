import Foundation

/// A condition variable a channel's loops sleep on until their next due time, or until the API
/// signals that new work arrived.
final class Wakeup: @unchecked Sendable {
    // NSCondition guards `generation`; @unchecked because it is only touched under that lock.
    private let condition = NSCondition()
    private var generation: UInt64 = 0

    var current: UInt64 {
        condition.lock()
        defer { condition.unlock() }
        return generation
    }

    func signal() {
        condition.lock()
        generation &+= 1
        condition.broadcast()
        condition.unlock()
    }

    /// Sleeps up to `millis` unless a signal came after `seen` was read.
    func wait(after seen: UInt64, millis: Int64) {
        let deadline = Date(timeIntervalSinceNow: Double(max(0, millis)) / 1000)
        condition.lock()
        while generation == seen {
            if !condition.wait(until: deadline) { break }
        }
        condition.unlock()
    }
}
