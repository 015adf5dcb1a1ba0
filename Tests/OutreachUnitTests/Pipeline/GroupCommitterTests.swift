import Foundation
import Synchronization
import Testing

@testable import Outreach

/// The group committer in process over `FakeDeliveryQueue`: requests are written together and
/// answered after the flush, twins of a key in flight are answered from the first's outcome, a
/// failed commit or flush reaches every request of it, and `stop` drains before refusing.
@Suite struct GroupCommitterTests {
    /// Counts what the committer reports.
    final class Observer: GroupCommitObserver {
        let counts = Mutex<(commits: Int, requests: Int, flushes: Int, answered: Int, twins: Int)>((0, 0, 0, 0, 0))
        func observeCommit(size: Int, seconds: Double) {
            counts.withLock {
                $0.commits += 1; $0.requests += size
            }
        }
        func observeFlush(seconds: Double) { counts.withLock { $0.flushes += 1 } }
        func observeEnqueues(seconds: [Double]) { counts.withLock { $0.answered += seconds.count } }
        func countTwins(_ n: Int) { counts.withLock { $0.twins += n } }
    }

    /// Collects answers and log lines from the committer's threads.
    final class Answers: Sendable {
        let outcomes = Mutex<[GroupCommitter.Outcome]>([])
        let woken = Mutex<[[String: Int64]]>([])
        let logged = Mutex<[(LogPriority, String)]>([])
        var all: [GroupCommitter.Outcome] { outcomes.withLock { $0 } }
    }

    let queue = FakeDeliveryQueue()
    let observer = Observer()
    let answers = Answers()

    func committer() -> GroupCommitter {
        let answers = answers
        return GroupCommitter(
            store: queue, observer: observer, log: { p, m in answers.logged.withLock { $0.append((p, m)) } }
        ) { channels in answers.woken.withLock { $0.append(channels) } }
    }

    func request(_ address: String, key: String? = nil, hash: UInt8 = 1, at: Int64? = nil) -> EnqueueRequest {
        var d = NewDelivery(channel: "mail", address: address)
        d.notBefore = at
        return EnqueueRequest(
            message: Message(template: "hello"), deliveries: [d],
            idempotency: key.map { IdempotencyKey(key: $0, requestHash: [hash]) })
    }

    func submit(_ c: GroupCommitter, _ r: EnqueueRequest) {
        let answers = answers
        c.submit(r) { outcome in answers.outcomes.withLock { $0.append(outcome) } }
    }

    static func failed<E: Error>(_ o: GroupCommitter.Outcome, with: E.Type) -> Bool {
        if case .failure(let e) = o.result { return e is E }
        return false
    }

    @Test func requestsFromManyThreadsAreAllWrittenAndAnsweredAfterTheFlush() throws {
        let c = committer()
        c.start()
        DispatchQueue.concurrentPerform(iterations: 8) { t in
            for i in 0..<50 { submit(c, request("p\(t)-\(i)@example.org")) }
        }
        c.stop()
        #expect(c.phase == .stopped)
        let outcomes = answers.all
        #expect(outcomes.count == 400)
        #expect(outcomes.allSatisfy { (try? $0.result.get())?.inserted == 1 })
        #expect(queue.rows.count == 400)
        let seen = observer.counts.withLock { $0 }
        #expect(seen.requests == 400 && seen.answered == 400)
        // Grouped: fewer transactions than requests is the point; at least one flush answered them.
        #expect(seen.commits == queue.commits && seen.commits <= 400 && seen.flushes >= 1)
        // The channel loops are woken for what is on disk, with the earliest due instant.
        #expect(answers.woken.withLock { $0 }.allSatisfy { $0.keys.sorted() == ["mail"] })
    }

    @Test func aTwinIsAnsweredFromTheFirstAndNotWritten() throws {
        let c = committer()
        // Submitted before the threads start: the second finds the first's key in flight.
        submit(c, request("ana@example.org", key: "k1"))
        submit(c, request("ana@example.org", key: "k1"))
        submit(c, request("ana@example.org", key: "k1", hash: 2))
        c.start()
        c.stop()
        let outcomes = answers.all
        try #require(outcomes.count == 3)
        #expect(queue.rows.count == 1)
        let first = try #require(outcomes.first { !$0.twin })
        let twins = outcomes.filter(\.twin)
        #expect(twins.count == 2)
        let firstID = try first.result.get().messageID
        #expect(twins.contains { (try? $0.result.get())?.messageID == firstID })
        // Same key, another request: a conflict, as the store would answer it.
        #expect(
            twins.contains {
                if case .failure(StoreError.idempotencyConflict(let key)) = $0.result { return key == "k1" }
                return false
            })
        #expect(observer.counts.withLock { $0.twins } == 2)
    }

    @Test func aFailedCommitReachesEveryRequestOfItAndNothingIsWoken() throws {
        struct DiskFull: Error {}
        queue.failures.withLock { $0.commit = DiskFull() }
        let c = committer()
        for i in 0..<5 { submit(c, request("p\(i)@example.org")) }
        c.start()
        c.stop()
        #expect(answers.all.count == 5)
        #expect(answers.all.allSatisfy { Self.failed($0, with: DiskFull.self) })
        #expect(queue.rows.isEmpty)
        #expect(answers.woken.withLock { $0 }.isEmpty)
        #expect(answers.logged.withLock { $0 }.contains { $0.0 == .error && $0.1.contains("group commit") })
    }

    @Test func aFailedFlushIsAFailureForEveryoneItHeld() throws {
        struct IOError: Error {}
        queue.failures.withLock { $0.sync = IOError() }
        let c = committer()
        for i in 0..<3 { submit(c, request("p\(i)@example.org")) }
        c.start()
        c.stop()
        // Committed but not known to be on disk: nobody hears 'accepted'.
        #expect(answers.all.count == 3)
        #expect(answers.all.allSatisfy { Self.failed($0, with: IOError.self) })
        #expect(answers.woken.withLock { $0 }.isEmpty)
    }

    @Test func stopWritesWhatWaitsAndRefusesWhatComesAfter() throws {
        let c = committer()
        #expect(c.phase == .accepting)
        for i in 0..<10 { submit(c, request("p\(i)@example.org")) }
        c.start()
        c.stop()
        #expect(c.phase == .stopped)
        #expect(queue.rows.count == 10)
        submit(c, request("late@example.org"))
        let late = try #require(answers.all.last)
        #expect(late.request.deliveries.first?.address == "late@example.org")
        let refused: Bool = if case .failure(CommitterError.stopping) = late.result { true } else { false }
        #expect(refused)
        #expect(queue.rows.count == 10)
        // A second stop is harmless.
        c.stop()
    }

    @Test func theEarliestDueInstantIsWhatWakesTheLoops() throws {
        let c = committer()
        submit(c, request("a@example.org", at: 5_000))
        submit(c, request("b@example.org", at: 2_000))
        c.start()
        c.stop()
        let woken = answers.woken.withLock { $0 }
        #expect(woken.reduce(into: [String: Int64]()) { $0.merge($1) { min($0, $1) } } == ["mail": 2_000])
    }
}
