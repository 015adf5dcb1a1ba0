import Foundation
import Synchronization

/// Group commit for the API: handler threads hand their enqueue here and are answered later; one
/// committer thread takes everything that is waiting and writes it in one transaction.
///
/// The flush to disk is pipelined: the committer commits without waiting for the disk and hands
/// the batch to a flush thread, which makes it durable (one fsync for everything committed since
/// the last one) and only then answers. The committer runs at most one commit ahead of the
/// flusher: while a flush is under way, requests gather into the next batch instead of being
/// written as many small commits, which would multiply the pages written per request.
///
/// A request repeating the Idempotency-Key of one still in flight (waiting, committed or being
/// flushed: a client retrying on timeout, an at-least-once webhook source) is a twin: it is not
/// written, it waits for the first's outcome and is answered with it (see `Outcome`). Written, it
/// would cost a replay's reads inside the batch that every request waits for.
public final class GroupCommitter: Sendable {
    public typealias Completion = @Sendable (Outcome) -> Void

    /// What a request is answered with.
    public struct Outcome: Sendable {
        public var result: Result<EnqueueResult, any Error>
        /// The request `result` belongs to: the request itself, or for a twin the first with its key.
        public var request: EnqueueRequest
        /// A twin answered from the first's outcome (the client hears it as a replay).
        public var twin = false
    }

    /// Where the committer is in its life: it takes requests only while `accepting`; `stop()`
    /// moves it to `draining` (what is waiting is still written and answered) and then `stopped`.
    public enum Phase: Sendable, Equatable {
        case accepting, draining, stopped
    }

    private struct Waiting {
        var request: EnqueueRequest
        var completion: Completion
        /// When it was submitted (uptime nanoseconds), for `outreach_enqueue_duration_seconds`.
        var submitted: UInt64
    }

    /// A request submitted with a key already in flight, waiting for the first's outcome.
    private struct Twin {
        var request: EnqueueRequest
        var completion: Completion
        var submitted: UInt64
    }

    private struct State {
        var waiting: [Waiting] = []
        var phase = Phase.accepting
        /// Every key submitted and not yet answered, with the twins waiting for its outcome.
        var inFlight: [String: [Twin]] = [:]
    }

    /// Committed, not yet on disk.
    private struct Committed {
        var batch: [Waiting]
        var results: [Result<EnqueueResult, any Error>]
        var channels: [String: Int64]
    }

    private struct FlushState {
        var committed: [Committed] = []
        var committerDone = false
    }

    private let store: any DeliveryQueue
    private let state = Mutex(State())
    private let wake = ThreadSignal()
    private let finished = ThreadSignal()
    private let flushState = Mutex(FlushState())
    private let flushWake = ThreadSignal()
    private let flushFinished = ThreadSignal()
    /// Taken by the committer before each commit, given back when the flusher picks the commit up.
    private let aheadOfFlush = ThreadSignal(1)
    /// At most this many requests share one transaction (bounds the time any one commit takes).
    public let maxBatch: Int
    /// The shortest time between two commits, in nanoseconds (see `run`).
    public let commitInterval: UInt64
    /// Called once deliveries are on disk, with the channels that got some (wakes their loops).
    private let onCommit: @Sendable ([String: Int64]) -> Void
    private let observer: any GroupCommitObserver
    private let log: LogSink

    /// - Parameters:
    ///   - store: the queue written to; group commit needs its unsynced enqueue and its flush.
    ///   - maxBatch: at most this many requests in one transaction.
    ///   - commitInterval: the shortest time between two commits, in nanoseconds.
    ///   - observer: told of every commit, flush and answer (metrics).
    ///   - log: where failed commits and flushes are reported.
    ///   - onCommit: called once deliveries are on disk, with the channels that got some.
    public init(
        store: any DeliveryQueue, maxBatch: Int = 1024, commitInterval: UInt64 = 300_000,
        observer: any GroupCommitObserver, log: @escaping LogSink,
        onCommit: @escaping @Sendable ([String: Int64]) -> Void
    ) {
        self.store = store
        self.maxBatch = maxBatch
        self.commitInterval = commitInterval
        self.observer = observer
        self.log = log
        self.onCommit = onCommit
    }

    /// Where the committer is in its life.
    public var phase: Phase { state.withLock { $0.phase } }

    /// Starts the committer and the flush thread.
    public func start() {
        let t = Thread { [self] in self.run() }
        t.name = "group-commit"
        t.start()
        let flush = Thread { [self] in self.runFlush() }
        flush.name = "wal-flush"
        flush.start()
    }

    /// Queues `request`; `completion` runs on the flush thread once it is on disk (or refused).
    /// A twin of a request in flight is not queued: it is answered when the first is.
    public func submit(_ request: EnqueueRequest, completion: @escaping Completion) {
        let now = DispatchTime.now().uptimeNanoseconds
        let (accepted, first) = state.withLock { s -> (Bool, Bool) in
            guard s.phase == .accepting else { return (false, false) }
            if let key = request.idempotency?.key {
                if s.inFlight[key] != nil {
                    s.inFlight[key]!.append(Twin(request: request, completion: completion, submitted: now))
                    return (true, false)
                }
                s.inFlight[key] = []
            }
            s.waiting.append(Waiting(request: request, completion: completion, submitted: now))
            return (true, s.waiting.count == 1)
        }
        guard accepted else {
            completion(Outcome(result: .failure(CommitterError.stopping), request: request))
            return
        }
        // Only a request finding the queue empty wakes the committer, which takes everything
        // waiting. A signal per request left it one wake-up per request to spin through: empty
        // rounds that each waited out the commit interval, and went on long after a burst ended.
        if first { wake.signal() }
    }

    /// Commits and flushes what is waiting, refuses anything later, and returns when both threads have ended.
    public func stop() {
        let wasAccepting = state.withLock { s -> Bool in
            defer { if s.phase == .accepting { s.phase = .draining } }
            return s.phase == .accepting
        }
        guard wasAccepting else { return }
        wake.signal()
        finished.wait()
        flushState.withLock { $0.committerDone = true }
        flushWake.signal()
        flushFinished.wait()
        state.withLock { $0.phase = .stopped }
    }

    private func run() {
        var lastCommit: UInt64 = 0
        while true {
            wake.wait()
            while true {
                aheadOfFlush.wait()
                // Commits at most once per `commitInterval`: each commit writes the same few index
                // pages whole, so a commit of 20 costs the disk little more than a commit of 2.
                let now = DispatchTime.now().uptimeNanoseconds
                if now < lastCommit + commitInterval, gathering {
                    usleep(UInt32((lastCommit + commitInterval - now) / 1000))
                }
                lastCommit = DispatchTime.now().uptimeNanoseconds
                let (batch, stopping) = state.withLock { s -> ([Waiting], Bool) in
                    let n = min(s.waiting.count, maxBatch)
                    let b = Array(s.waiting.prefix(n))
                    s.waiting.removeFirst(n)
                    return (b, s.phase != .accepting)
                }
                if batch.isEmpty {
                    aheadOfFlush.signal()
                    if stopping {
                        finished.signal()
                        return
                    }
                    break
                }
                commit(batch)
            }
        }
    }

    /// More requests may still join the next batch: it is not full and the committer is not draining.
    private var gathering: Bool {
        state.withLock { $0.waiting.count < maxBatch && $0.phase == .accepting }
    }

    private func commit(_ batch: [Waiting]) {
        let started = DispatchTime.now().uptimeNanoseconds
        let results: [Result<EnqueueResult, any Error>]
        do {
            results = try store.enqueueBatchUnsynced(batch.map(\.request))
        } catch {
            // The transaction failed as a whole (disk full, I/O error): nobody's request is on disk.
            log(.error, "group commit of \(batch.count) request(s) failed: \(error)")
            answer(batch, results: batch.map { _ in .failure(error) })
            aheadOfFlush.signal()
            return
        }
        observer.observeCommit(size: batch.count, seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        // The channels that got deliveries, with the earliest instant one of them is due.
        var channels: [String: Int64] = [:]
        for (w, r) in zip(batch, results) {
            guard case .success(let e) = r, e.inserted > 0 else { continue }
            for d in w.request.deliveries {
                let at = d.notBefore ?? 0
                channels[d.channel] = min(channels[d.channel] ?? at, at)
            }
        }
        flushState.withLock { $0.committed.append(Committed(batch: batch, results: results, channels: channels)) }
        flushWake.signal()
    }

    /// Flushes and answers: one fsync covers every batch committed since the last one.
    private func runFlush() {
        while true {
            flushWake.wait()
            while true {
                let (ready, done) = flushState.withLock { s -> ([Committed], Bool) in
                    defer { s.committed = [] }
                    return (s.committed, s.committerDone)
                }
                if ready.isEmpty {
                    if done {
                        flushFinished.signal()
                        return
                    }
                    break
                }
                aheadOfFlush.signal()
                var failure: (any Error)?
                let syncStarted = DispatchTime.now().uptimeNanoseconds
                do { try store.syncCommitted() } catch {
                    // Committed but not known to be on disk: the callers hear 500 and may retry
                    // with their Idempotency-Key, which then answers from what was stored.
                    log(.error, "flushing \(ready.count) commit(s) to disk failed: \(error)")
                    failure = error
                }
                observer.observeFlush(seconds: Double(DispatchTime.now().uptimeNanoseconds - syncStarted) / 1e9)
                var channels: [String: Int64] = [:]
                for c in ready { channels.merge(c.channels) { min($0, $1) } }
                if failure == nil, !channels.isEmpty { onCommit(channels) }
                let twins = ready.reduce(0) { n, c in
                    n + answer(c.batch, results: failure.map { f in c.results.map { _ in .failure(f) } } ?? c.results)
                }
                let now = DispatchTime.now().uptimeNanoseconds
                observer.observeEnqueues(seconds: ready.flatMap { $0.batch.map { Double(now - $0.submitted) / 1e9 } })
                if twins > 0 { observer.countTwins(twins) }
            }
        }
    }

    /// Answers a batch and the twins of its keys, taking the keys out of flight.
    /// - Returns: how many twins were answered from their first's outcome.
    @discardableResult
    private func answer(_ batch: [Waiting], results: [Result<EnqueueResult, any Error>]) -> Int {
        let keys = batch.compactMap(\.request.idempotency?.key)
        let twinsByKey =
            keys.isEmpty
            ? [:]
            : state.withLock { s -> [String: [Twin]] in
                var out: [String: [Twin]] = [:]
                for k in keys { if let ts = s.inFlight.removeValue(forKey: k), !ts.isEmpty { out[k] = ts } }
                return out
            }
        var answered: [UInt64] = []
        var again: [Twin] = []
        for (w, r) in zip(batch, results) {
            w.completion(Outcome(result: r, request: w.request))
            guard let idem = w.request.idempotency, let twins = twinsByKey[idem.key] else { continue }
            for t in twins {
                guard case .success(let first) = r else {
                    // The first was refused or not stored: the store decides the twin's own fate.
                    again.append(t)
                    continue
                }
                answered.append(t.submitted)
                let result: Result<EnqueueResult, any Error> =
                    t.request.idempotency?.requestHash == idem.requestHash
                    ? .success(first) : .failure(StoreError.idempotencyConflict(key: idem.key))
                t.completion(Outcome(result: result, request: w.request, twin: true))
            }
        }
        if !answered.isEmpty {
            let now = DispatchTime.now().uptimeNanoseconds
            observer.observeEnqueues(seconds: answered.map { Double(now - $0) / 1e9 })
        }
        for t in again { submit(t.request, completion: t.completion) }
        return answered.count
    }
}

/// Why the committer refused a request.
public enum CommitterError: Error, CustomStringConvertible {
    case stopping
    public var description: String { "The server is shutting down; try again in a moment." }
}

/// What the group committer reports as it works (the daemon's metrics).
public protocol GroupCommitObserver: Sendable {
    /// One transaction of `size` requests took `seconds`.
    func observeCommit(size: Int, seconds: Double)
    /// One flush to disk took `seconds`.
    func observeFlush(seconds: Double)
    /// Requests answered, each with its time from submission to answer.
    func observeEnqueues(seconds: [Double])
    /// Twins answered from the outcome of the first with their key.
    func countTwins(_ n: Int)
}
