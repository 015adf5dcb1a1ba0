import Foundation
import Outreach
import Synchronization

/// Group commit for the API: handler threads hand their enqueue here and are answered later; one
/// committer thread takes everything that is waiting and writes it with one `enqueueBatch`
/// (one transaction, one fsync). While a commit runs, new requests gather for the next one, so
/// the batch grows with the load and the fsync cost is shared.
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

    private let store: any Store
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let finished = DispatchSemaphore(value: 0)
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
            results = try store.enqueueBatch(batch.map(\.request))
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
        if !channels.isEmpty { onCommit(channels) }
        for (w, r) in zip(batch, results) { w.completion(r) }
    }
}

/// Why the committer refused a request.
enum CommitterError: Error, CustomStringConvertible {
    case stopping
    var description: String { "The server is shutting down; try again in a moment." }
}
