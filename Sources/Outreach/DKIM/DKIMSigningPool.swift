import Foundation
import Synchronization

/// Signing threads, one per core, each with its own `DKIMSigningContext`: a batch handed to
/// `sign(_:)` is signed on every core at once, and each message is handed back as soon as its
/// signature is made, so a sender can put it on the wire while the rest are still being signed.
///
/// Batches are signed in the order they were handed over. The threads start with the first batch
/// and end with `stop()` (a later batch starts them again).
public final class DKIMSigningPool: Sendable {
    public let signer: DKIMSigner
    /// How many threads sign at once.
    public let threads: Int
    private let state = Mutex(Queue())
    /// One signal per job (and one per thread on `stop()`): what the idle threads wait on.
    private let work = DispatchSemaphore(value: 0)
    /// Signatures made by each thread the pool started, in start order (what tests look at).
    private let madeBy = Mutex<[Int]>([])
    var signaturesPerThread: [Int] { madeBy.withLock { $0 } }

    struct Job {
        var batch: DKIMSignedBatch
        var index: Int
    }

    struct Queue {
        /// Popped jobs are nil: a job left in place would keep its whole batch (every message) alive.
        var jobs: [Job?] = []
        var head = 0
        var running = 0
        var stopping = false

        mutating func pop() -> Job? {
            guard head < jobs.count, let job = jobs[head] else { return nil }
            jobs[head] = nil
            head += 1
            // The two lanes keep handing batches over, so the queue may never run empty: the
            // popped front goes once it is half of the array.
            if head == jobs.count {
                jobs.removeAll(keepingCapacity: true)
                head = 0
            } else if head >= 256, head * 2 >= jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            return job
        }
    }

    /// - Parameter threads: default: one per core.
    public init(signer: DKIMSigner, threads: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.signer = signer
        self.threads = max(1, threads)
    }

    /// Starts signing `messages` (each a complete RFC 5322 message) and returns the batch that hands
    /// the signature headers back as they are made. Every message is signed with the same `t=`.
    public func sign(_ messages: [[UInt8]], time: Int = Int(Date().timeIntervalSince1970)) -> DKIMSignedBatch {
        let batch = DKIMSignedBatch(messages: messages, time: time)
        let start = state.withLock { q -> Int in
            for i in messages.indices { q.jobs.append(Job(batch: batch, index: i)) }
            q.stopping = false
            let missing = threads - q.running
            q.running = threads
            return missing
        }
        for _ in 0..<start {
            let t = Thread { [self] in run() }
            t.name = "dkim-sign"
            t.start()
        }
        for _ in messages.indices { work.signal() }
        return batch
    }

    /// Lets the threads end once the batches handed over are signed.
    public func stop() {
        let n = state.withLock { q -> Int in
            q.stopping = true
            return q.running
        }
        for _ in 0..<n { work.signal() }
    }

    private func run() {
        // Made on this thread, so OpenSSL's RSA blinding for this key copy is this thread's own.
        let context = Result { () throws(DKIMError) in try signer.makeContext() }
        let me = madeBy.withLock { made in
            made.append(0)
            return made.count - 1
        }
        while true {
            work.wait()
            let next = state.withLock { q -> Job?? in
                if let job = q.pop() { return .some(job) }
                if q.stopping {
                    q.running -= 1
                    return .none
                }
                return .some(nil)
            }
            guard let job = next else { return }
            guard let job else { continue }
            let result = context.flatMap { c in
                Result { () throws(DKIMError) in
                    try signer.signatureHeader(job.batch.messages[job.index], time: job.batch.time, using: c)
                }
            }
            madeBy.withLock { $0[me] += 1 }
            job.batch.deliver(job.index, result)
        }
    }
}

/// The messages of one `DKIMSignedBatch.sign(_:)` call: their signature headers come back through
/// `next()` in the order they are made.
public final class DKIMSignedBatch: Sendable {
    let messages: [[UInt8]]
    let time: Int
    private let state = Mutex(Results())

    struct Results {
        var ready: [(index: Int, header: Result<[UInt8], DKIMError>)] = []
        var head = 0
        var handedOut = 0
        var wake: (@Sendable () -> Void)?
        /// `next()` said `later` and nothing was delivered since: only then is `wake` called (each
        /// call is a wake-up of the sending thread, and that thread is mostly busy anyway).
        var waiting = false
    }

    /// One message's turn.
    public enum Next: Sendable {
        /// The message at `index` of the batch is signed: `header` goes in front of it.
        case signed(index: Int, header: [UInt8])
        case failed(index: Int, DKIMError)
        /// Nothing signed yet that has not been handed out: `onReady`'s callback says when.
        case later
        /// Every message has been handed out.
        case finished
    }

    init(messages: [[UInt8]], time: Int) {
        self.messages = messages
        self.time = time
    }

    /// The next message signed and not yet handed out, if any.
    public func next() -> Next {
        state.withLock { r in
            if r.head < r.ready.count {
                let (index, header) = r.ready[r.head]
                // The header is the consumer's now: drop the batch's copy.
                r.ready[r.head].header = .success([])
                r.head += 1
                r.handedOut += 1
                switch header {
                case .success(let h): return .signed(index: index, header: h)
                case .failure(let e): return .failed(index: index, e)
                }
            }
            if r.handedOut == messages.count { return .finished }
            r.waiting = true
            return .later
        }
    }

    /// `wake` is called (on a signing thread, with the batch's lock held, so it must only signal)
    /// when a signature is ready after `next()` said `later`, and at once if some are waiting; nil
    /// stops the calls. The sender uses it to interrupt its wait on its connections.
    public func onReady(_ wake: (@Sendable () -> Void)?) {
        state.withLock { r in
            r.wake = wake
            if r.head < r.ready.count { wake?() }
        }
    }

    /// Waits for the whole batch (for callers that send nothing before every message is signed).
    public func all() -> [Result<[UInt8], DKIMError>] {
        let done = DispatchSemaphore(value: 0)
        onReady { done.signal() }
        var out = [Result<[UInt8], DKIMError>?](repeating: nil, count: messages.count)
        loop: while true {
            switch next() {
            case .signed(let i, let h): out[i] = .success(h)
            case .failed(let i, let e): out[i] = .failure(e)
            case .later: done.wait()
            case .finished: break loop
            }
        }
        onReady(nil)
        return out.map { $0! }
    }

    func deliver(_ index: Int, _ header: Result<[UInt8], DKIMError>) {
        state.withLock { r in
            r.ready.append((index, header))
            if r.waiting {
                r.waiting = false
                r.wake?()
            }
        }
    }
}
