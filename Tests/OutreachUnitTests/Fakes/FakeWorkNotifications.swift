import Foundation
import Synchronization

@testable import Outreach

/// A `WorkNotifications` whose sessions hand out what the test puts in `queued` and fail when
/// told: `refusing` subscriptions fail while positive (counted down), `lose` ends the current one.
final class FakeWorkNotifications: WorkNotifications {
    struct Lost: Error {}

    /// nil makes it a backend with nothing to listen to (SQLite).
    let listens: Bool
    let queued = Mutex<[Set<String>]>([])
    let refusing = Atomic<Int>(0)
    let subscriptions = Atomic<Int>(0)
    let lose = Atomic<Bool>(false)

    init(listens: Bool = true) { self.listens = listens }

    func subscribeToWork() throws -> (any WorkSubscription)? {
        guard listens else { return nil }
        if refusing.load(ordering: .relaxed) > 0 {
            refusing.subtract(1, ordering: .relaxed)
            throw Lost()
        }
        subscriptions.add(1, ordering: .relaxed)
        return Session(source: self)
    }

    final class Session: WorkSubscription {
        let source: FakeWorkNotifications
        init(source: FakeWorkNotifications) { self.source = source }

        func next(timeoutMillis: Int) throws -> Set<String> {
            if source.lose.exchange(false, ordering: .relaxed) { throw Lost() }
            if let first = source.queued.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) { return first }
            usleep(useconds_t(min(timeoutMillis, 5) * 1000))
            return []
        }
    }
}
