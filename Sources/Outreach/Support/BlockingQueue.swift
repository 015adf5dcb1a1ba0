import Foundation

/// A bounded hand-off between two threads (a parser and a writer); `nil` closes it.
public final class BlockingQueue<Element: Sendable>: @unchecked Sendable {
    private let condition = NSCondition()
    private var items: [Element?] = []
    private let capacity: Int

    public init(capacity: Int) { self.capacity = capacity }

    /// Blocks while the queue is full.
    public func push(_ item: Element?) {
        condition.lock()
        while items.count >= capacity { condition.wait() }
        items.append(item)
        condition.broadcast()
        condition.unlock()
    }

    /// Blocks until an item or the closing nil arrives.
    public func pop() -> Element? {
        condition.lock()
        while items.isEmpty { condition.wait() }
        let item = items.removeFirst()
        if item == nil { items.insert(nil, at: 0) }  // stay closed for later pops
        condition.broadcast()
        condition.unlock()
        return item ?? nil
    }
}
