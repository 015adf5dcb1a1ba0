import Foundation

/// What one look of a `PollingLoop` found.
struct PollStep: Sendable {
    /// It failed (logged by the step): the next look backs off, 0.5 s doubling up to 30 s.
    var failed = false
    /// When the next look is wanted (the loop's clock, ms), if sooner than the interval.
    var next: Int64? = nil
    /// Nothing more to look for: the thread ends.
    var finished = false
}

/// The thread behind the daemon's pollers (hook fan-out, event reminders): a step, then a sleep
/// until the next look is wanted, at most `intervalMillis`, backing off after failures — other
/// processes change the store too, so a poller cannot wait to be told. `drain` wakes it and waits
/// for the step in hand.
final class PollingLoop: Sendable {
    let intervalMillis: Int64
    let clock: any TimeSource
    private let thread = ServiceThread()

    init(intervalMillis: Int64, clock: any TimeSource) {
        self.intervalMillis = intervalMillis
        self.clock = clock
    }

    var isStopping: Bool { thread.stopping.isSet }

    /// Starts the thread; `first` is what the look made before it (`start` of the service) found.
    func start(name: String, first: PollStep, step: @escaping @Sendable () -> PollStep) {
        thread.start(name: name) { [self] in self.run(first, step) }
    }

    func drain() { thread.drain() }

    private func run(_ first: PollStep, _ step: @Sendable () -> PollStep) {
        var failures = first.failed ? 1 : 0
        var last = first
        while !thread.stopping.isSet && !last.finished {
            let seen = thread.wakeup.current
            let pause = failures == 0 ? intervalMillis : min(30_000, 500 << Int64(min(failures, 6)))
            // The loop's clock says when the next look is wanted; the sleep itself is on the wall clock.
            let sleep = min(pause, max(0, (last.next ?? Int64.max) - clock.nowMillis()))
            thread.wakeup.wait(loop: 0, after: seen, until: WallClock.nowMillis() + sleep)
            if thread.stopping.isSet { return }
            last = step()
            failures = last.failed ? failures + 1 : 0
        }
    }
}
