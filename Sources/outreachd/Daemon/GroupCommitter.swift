import Foundation
import Outreach
import Synchronization

/// Group commit for the API: handler threads hand their enqueue here and are answered later; one
/// committer thread takes everything that is waiting and writes it in one transaction. While a
/// commit runs, new requests gather for the next one, so the batch grows with the load.
///
/// The flush to disk is pipelined: the committer commits without waiting for the disk and hands
/// the batch to a sync thread, which flushes the log once for every batch committed meanwhile and
/// only then answers. So the next transaction is built while the disk works, and no one hears 202
/// before their deliveries are on disk.
final class GroupCommitter: Sendable {
    typealias Completion = @Sendable (Result<EnqueueResult, any Error>) -> Void

    private struct Waiting {
        var request: EnqueueRequest
        var completion: Completion
    }

    private struct State {
        var waiting: [Waiting] = []
        var stopping = false
        var inFlight = 0
    }

    /// Committed, not yet on disk.
    private struct Committed {
        var batch: [Waiting]
        var results: [Result<EnqueueResult, any Error>]
        var channels: [String: Int64]
    }

    private struct SyncState {
        var committed: [Committed] = []
        var committerDone = false
    }

    private let store: any Store
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
    private let syncState = Mutex(SyncState())
    private let syncWake = DispatchSemaphore(value: 0)
    private let syncFinished = DispatchSemaphore(value: 0)
    /// At most this many requests share one transaction (bounds the time any one commit takes).
    let maxBatch: Int
    /// Called after each commit with the channels that got new deliveries (wakes their loops).
    private let onCommit: @Sendable ([String: Int64]) -> Void
    let metrics: Metrics

    init(store: any Store, maxBatch: Int = 1024, metrics: Metrics, onCommit: @escaping @Sendable ([String: Int64]) -> Void) {
        self.store = store
        self.maxBatch = maxBatch
        self.metrics = metrics
        self.onCommit = onCommit
    }

    func start() {
        let t = Thread { [self] in self.run() }
        t.name = "group-commit"
        t.start()
        let sync = Thread { [self] in self.runSync() }
        sync.name = "wal-sync"
        sync.start()
    }

    /// Queues `request`; `completion` runs on the committer thread once it is on disk (or refused).
    func submit(_ request: EnqueueRequest, completion: @escaping Completion) {
        let accepted = state.withLock { s -> Bool in
            guard !s.stopping else { return false }
            s.waiting.append(Waiting(request: request, completion: completion))
            return true
        }
        guard accepted else {
            completion(.failure(CommitterError.stopping))
            return
        }
        wake.signal()
    }

    /// Commits what is waiting, refuses anything later, and returns when the thread has ended.
    func stop() {
        state.withLock { $0.stopping = true }
        wake.signal()
        finished.wait()
        syncState.withLock { $0.committerDone = true }
        syncWake.signal()
        syncFinished.wait()
    }

    private func run() {
        while true {
            wake.wait()
            while true {
                let (batch, stopping) = state.withLock { s -> ([Waiting], Bool) in
                    let n = min(s.waiting.count, maxBatch)
                    let b = Array(s.waiting.prefix(n))
                    s.waiting.removeFirst(n)
                    return (b, s.stopping)
                }
                if batch.isEmpty {
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

    private func commit(_ batch: [Waiting]) {
        let started = DispatchTime.now().uptimeNanoseconds
        let results: [Result<EnqueueResult, any Error>]
        do {
            results = try store.enqueueBatchUnsynced(batch.map(\.request))
        } catch {
            // The transaction failed as a whole (disk full, I/O error): nobody's request is on disk.
            Log.error("group commit of \(batch.count) request(s) failed: \(error)")
            for w in batch { w.completion(.failure(error)) }
            return
        }
        metrics.observeCommit(size: batch.count, seconds: Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9)
        // The channels that got deliveries, with the earliest instant one of them is due.
        var channels: [String: Int64] = [:]
        for (w, r) in zip(batch, results) {
            guard case .success(let e) = r, e.inserted > 0 else { continue }
            for d in w.request.deliveries {
                let at = d.notBefore ?? 0
                channels[d.channel] = min(channels[d.channel] ?? at, at)
            }
        }
        syncState.withLock { $0.committed.append(Committed(batch: batch, results: results, channels: channels)) }
        syncWake.signal()
    }

    /// Flushes and answers: one fsync covers every batch committed since the last one.
    private func runSync() {
        var commitsSinceCheckpoint = 0
        while true {
            syncWake.wait()
            while true {
                let (ready, done) = syncState.withLock { s -> ([Committed], Bool) in
                    defer { s.committed = [] }
                    return (s.committed, s.committerDone)
                }
                if ready.isEmpty {
                    if done {
                        syncFinished.signal()
                        return
                    }
                    break
                }
                var failure: (any Error)?
                do { try store.syncCommitted() } catch {
                    Log.error("flushing \(ready.count) commit(s) to disk failed: \(error)")
                    failure = error
                }
                var channels: [String: Int64] = [:]
                for c in ready { channels.merge(c.channels) { min($0, $1) } }
                if failure == nil, !channels.isEmpty { onCommit(channels) }
                for c in ready {
                    for (w, r) in zip(c.batch, c.results) { w.completion(failure.map { .failure($0) } ?? r) }
                }
                // Checkpoints happen here, between flushes, instead of inside a commit: a batch
                // writes about ten pages, so every 40 commits stays under SQLite's 1,000-page trigger.
                commitsSinceCheckpoint += ready.count
                if commitsSinceCheckpoint >= 40 {
                    commitsSinceCheckpoint = 0
                    do { try store.checkpoint() } catch { Log.warning("checkpoint failed: \(error)") }
                }
            }
        }
    }
}

/// Why the committer refused a request.
enum CommitterError: Error, CustomStringConvertible {
    case stopping
    var description: String { "The server is shutting down; try again in a moment." }
}
