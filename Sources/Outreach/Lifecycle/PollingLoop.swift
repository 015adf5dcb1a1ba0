import Foundation
import Synchronization

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
    private let stopping = StopFlag()
    private let wakeup = Wakeup(loops: 1)
    private let done = ThreadSignal()
    private let started = Atomic<Bool>(false)

    init(intervalMillis: Int64, clock: any TimeSource) {
        self.intervalMillis = intervalMillis
        self.clock = clock
    }

    var isStopping: Bool { stopping.isSet }

    /// Starts the thread; `first` is what the look made before it (`start` of the service) found.
    func start(name: String, first: PollStep, step: @escaping @Sendable () -> PollStep) {
        started.store(true, ordering: .relaxed)
        let t = Thread { [self] in
            self.run(first, step)
            self.done.signal()
        }
        t.name = name
        t.start()
    }

    func drain() {
        guard started.load(ordering: .relaxed) else { return }
        stopping.set()
        wakeup.signal(dueAt: Int64.min)
        done.wait()
    }

    private func run(_ first: PollStep, _ step: @Sendable () -> PollStep) {
        var failures = first.failed ? 1 : 0
        var last = first
        while !stopping.isSet && !last.finished {
            let seen = wakeup.current
            let pause = failures == 0 ? intervalMillis : min(30_000, 500 << Int64(min(failures, 6)))
            // The loop's clock says when the next look is wanted; the sleep itself is on the wall clock.
            let sleep = min(pause, max(0, (last.next ?? Int64.max) - clock.nowMillis()))
            wakeup.wait(loop: 0, after: seen, until: WallClock.nowMillis() + sleep)
            if stopping.isSet { return }
            last = step()
            failures = last.failed ? failures + 1 : 0
        }
    }
}
