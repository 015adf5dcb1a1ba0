import Foundation
import Synchronization

/// The bounce mailbox as a service of `serve`: one thread polls at once, then every `poll`; while
/// the mailbox cannot be read it waits longer each time (`retryDelay`), so a server that is down
/// costs a connection attempt now and then and one line in the log, and never stops the daemon.
/// A drain interrupts the call in progress and waits for the thread.
public final class BounceMailboxService: Service {
    public let poller: BounceMailboxPoller
    private let pollMillis: Int64
    private let log: LogSink
    private let wake = ThreadSignal()
    private let finished = ThreadSignal()
    private let running = Atomic<Bool>(false)
    private let stopping = Atomic<Bool>(false)
    /// Whether this node reads the mailbox now (`DutyLeadership`: one node of several does).
    private let leads: @Sendable () -> Bool

    /// - Parameter leads: asked before each poll; a node that does not lead waits for the next.
    public init(
        poller: BounceMailboxPoller, pollMillis: Int64, log: @escaping LogSink,
        leads: @escaping @Sendable () -> Bool = { true }
    ) {
        self.leads = leads
        self.poller = poller
        self.pollMillis = pollMillis
        self.log = log
    }

    public var serviceName: String { "bounce mailbox" }

    public func start() throws {
        log(.info, "reading the bounce mailbox \(poller.mailbox.name) every \(pollMillis / 1000)s")
        running.store(true, ordering: .relaxed)
        let thread = Thread { [self] in
            loop()
            finished.signal()
        }
        thread.name = "bounce mailbox"
        thread.start()
    }

    public func drain() {
        guard running.load(ordering: .relaxed) else { return }
        stopping.store(true, ordering: .relaxed)
        poller.stop()
        wake.signal()
        finished.wait()
        running.store(false, ordering: .relaxed)
    }

    private func loop() {
        var failures = 0
        while !stopping.load(ordering: .relaxed) {
            if leads() {
                failures = poller.poll().reachable ? 0 : failures + 1
            }
            let delay = Self.retryDelay(pollMillis: pollMillis, failures: failures)
            _ = wake.wait(until: Date(timeIntervalSinceNow: Double(delay) / 1000))
        }
    }

    /// The longest wait between two attempts while the mailbox stays unreachable: five minutes, or
    /// the poll interval when it is longer.
    public static let longestRetryMillis: Int64 = 300_000

    /// How long to wait before the next poll: `poll` while the mailbox answers; after `failures`
    /// failed polls in a row, `poll` doubled for each failure after the first, up to
    /// `longestRetryMillis` (or `poll` when that is longer).
    public static func retryDelay(pollMillis: Int64, failures: Int) -> Int64 {
        let cap = max(pollMillis, longestRetryMillis)
        guard failures > 1 else { return pollMillis }
        var delay = pollMillis
        for _ in 1..<failures {
            delay = delay.multipliedReportingOverflow(by: 2).partialValue
            if delay >= cap || delay <= 0 { return cap }
        }
        return delay
    }
}
