import Foundation

/// A counting signal between threads (what a semaphore does), built on the one condition type the
/// project uses beside `Mutex` and `Atomic`, so that every wait in the code is of one kind.
public final class ThreadSignal: @unchecked Sendable {
    // NSCondition guards `count`; @unchecked because it is only touched under it.
    private let condition = NSCondition()
    private var count: Int

    /// - Parameter count: signals available before the first `signal()` (1 makes it a token).
    public init(_ count: Int = 0) { self.count = count }

    /// Adds one signal and wakes one waiter.
    public func signal() {
        condition.lock()
        count += 1
        condition.signal()
        condition.unlock()
    }

    /// Blocks until a signal is available and takes it.
    public func wait() {
        condition.lock()
        while count == 0 { condition.wait() }
        count -= 1
        condition.unlock()
    }

    /// Blocks until a signal is available or `deadline` passes.
    /// - Returns: true when a signal was taken, false on timeout.
    public func wait(until deadline: Date) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        while count == 0 {
            if !condition.wait(until: deadline) { break }
        }
        guard count > 0 else { return false }
        count -= 1
        return true
    }
}
