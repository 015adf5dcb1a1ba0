import Foundation
@testable import Outreach
import Synchronization
import Testing

/// The poller's decisions, on a mailbox and a pipeline in memory.
@Suite struct BounceMailboxPollerTests {
    /// Log lines as the poller wrote them.
    final class Lines: Sendable {
        let lines = Mutex<[(LogPriority, String)]>([])
        var sink: LogSink { { p, m in self.lines.withLock { $0.append((p, m)) } } }
        var all: [String] { lines.withLock { $0.map(\.1) } }
        func count(_ text: String) -> Int { all.filter { $0.contains(text) }.count }
    }

    let mailbox = FakeBounceMailbox()
    let sink = FakeMailboxSink()
    let log = Lines()
    var poller: BounceMailboxPoller { BounceMailboxPoller(mailbox: mailbox, sink: sink, log: log.sink) }

    @Test func aBounceIsAppliedThenMovedAndHumanMailStaysUnread() {
        let p = poller
        let uids = mailbox.deliver(["DSN\n1", "Hello,\nlunch?", "ARF\n2"])
        let summary = p.poll()
        #expect(summary.reachable)
        #expect(summary.decisions == [uids[0]: .moved, uids[1]: .leftUnread, uids[2]: .moved])
        #expect(sink.state.withLock { $0.applied } == ["IMAP UID \(uids[0])", "IMAP UID \(uids[2])"])
        mailbox.state.withLock { s in
            #expect(s.inbox.keys.sorted() == [uids[1]])
            #expect(s.inbox[uids[1]]?.seen == false)
            #expect(s.processed.count == 2)
            #expect(s.endedPolls == 1)
        }
    }

    /// Human mail and unparseable messages are fetched once, not at every poll; the unparseable
    /// one is logged once, with its UID.
    @Test func undecidedMessagesAreLookedAtOnceAndLoggedOnce() {
        let p = poller
        let uids = mailbox.deliver(["Hello", "GARBLED\nxx"])
        p.poll()
        p.poll()
        p.poll()
        #expect(mailbox.state.withLock { $0.fetched } == uids)
        #expect(log.count("IMAP UID \(uids[1]) cannot be parsed") == 1)
        #expect(mailbox.state.withLock { $0.inbox.count } == 2)
    }

    /// The store is down: nothing moves, the rest of the poll waits, and the next poll applies it.
    @Test func aStoreFailureMovesNothingAndIsTriedAgain() {
        let p = poller
        let uids = mailbox.deliver(["DSN\n1", "DSN\n2"])
        sink.state.withLock { $0.failing = true }
        let first = p.poll()
        #expect(first.decisions == [uids[0]: .notStored])
        p.poll()
        #expect(mailbox.state.withLock { $0.processed.isEmpty })
        #expect(log.count("could not be applied, the store failed") == 1)
        sink.state.withLock { $0.failing = false }
        let third = p.poll()
        #expect(third.decisions == [uids[0]: .moved, uids[1]: .moved])
        #expect(mailbox.state.withLock { $0.inbox.isEmpty })
        #expect(log.count("the bounce pipeline stores again") == 1)
    }

    /// A move that fails after the pipeline applied the bounce is retried alone: the bounce is
    /// not applied twice.
    @Test func aFailedMoveIsRetriedWithoutApplyingAgain() {
        let p = poller
        let uid = mailbox.deliver(["DSN\n1"])[0]
        mailbox.state.withLock { $0.moveFailures[uid] = [.message(uid: uid, "the server answered 'NO quota'")] }
        #expect(p.poll().decisions == [uid: .moveFailed])
        #expect(p.poll().decisions == [uid: .moved])
        #expect(sink.state.withLock { $0.ingested } == ["IMAP UID \(uid)"])
        #expect(log.count("was applied but could not be moved (the server answered 'NO quota')") == 1)
    }

    @Test func aFetchFailureIsLoggedOnceAndRetried() {
        let p = poller
        let uid = mailbox.deliver(["DSN\n1"])[0]
        let failure = BounceMailboxError.message(uid: uid, "cut short")
        mailbox.state.withLock { $0.fetchFailures[uid] = [failure, failure] }
        #expect(p.poll().decisions == [uid: .fetchFailed])
        #expect(p.poll().decisions == [uid: .fetchFailed])
        #expect(p.poll().decisions == [uid: .moved])
        #expect(log.count("could not be fetched (cut short)") == 1)
    }

    /// A mailbox that is down is logged once for the whole outage, and once when it is back.
    @Test func anOutageIsLoggedOnceAndItsEndOnce() {
        let p = poller
        mailbox.deliver(["DSN\n1"])
        mailbox.state.withLock { $0.down = .unavailable("cannot reach mail.example.org: Connection refused") }
        for _ in 0..<5 { #expect(!p.poll().reachable) }
        #expect(log.count("cannot be read: cannot reach mail.example.org") == 1)
        mailbox.state.withLock { $0.down = nil }
        #expect(p.poll().reachable)
        #expect(log.count("can be read again") == 1)
        #expect(mailbox.state.withLock { $0.processed.count } == 1)
    }

    /// The server drops during a poll: the poll stops there and says the mailbox is unreachable.
    @Test func anOutageDuringAFetchStopsThePoll() {
        let p = poller
        let uids = mailbox.deliver(["DSN\n1", "DSN\n2"])
        mailbox.state.withLock { $0.fetchFailures[uids[0]] = [.unavailable("cannot reach fake: Connection reset")] }
        let summary = p.poll()
        #expect(!summary.reachable)
        #expect(summary.decisions == [uids[0]: .fetchFailed])
        #expect(log.count("cannot be read: cannot reach fake") == 1)
    }

    /// A new UIDVALIDITY means the remembered UIDs name other messages now: look at everything again.
    @Test func anotherUIDValidityForgetsWhatWasRemembered() {
        let p = poller
        let uid = mailbox.deliver(["Hello"])[0]
        p.poll()
        mailbox.state.withLock { $0.uidValidity = 8 }
        p.poll()
        #expect(mailbox.state.withLock { $0.fetched } == [uid, uid])
    }

    /// What is no longer unread is forgotten: a message a human marks unread again is looked at again.
    @Test func aMessageNoLongerUnreadIsForgotten() {
        let p = poller
        let uid = mailbox.deliver(["Hello"])[0]
        p.poll()
        mailbox.state.withLock { $0.inbox[uid]?.seen = true }
        p.poll()
        mailbox.state.withLock { $0.inbox[uid]?.seen = false }
        p.poll()
        #expect(mailbox.state.withLock { $0.fetched } == [uid, uid])
    }

    @Test func afterStopNothingIsPolled() {
        let p = poller
        mailbox.deliver(["DSN\n1"])
        p.stop()
        p.poll()
        mailbox.state.withLock { s in
            #expect(s.polls == 0)
            #expect(s.interrupted)
        }
    }

    @Test func retriesWaitLongerWhileTheMailboxStaysDown() {
        let poll: Int64 = 60_000
        #expect(BounceMailboxService.retryDelay(pollMillis: poll, failures: 0) == 60_000)
        #expect(BounceMailboxService.retryDelay(pollMillis: poll, failures: 1) == 60_000)
        #expect(BounceMailboxService.retryDelay(pollMillis: poll, failures: 2) == 120_000)
        #expect(BounceMailboxService.retryDelay(pollMillis: poll, failures: 3) == 240_000)
        #expect(BounceMailboxService.retryDelay(pollMillis: poll, failures: 4) == 300_000)
        #expect(BounceMailboxService.retryDelay(pollMillis: poll, failures: 10_000) == 300_000)
        #expect(BounceMailboxService.retryDelay(pollMillis: 3_600_000, failures: 5) == 3_600_000)
        #expect(BounceMailboxService.retryDelay(pollMillis: 1000, failures: 3) == 4000)
    }

    /// The service polls at start and a drain returns without waiting for the next poll.
    @Test func theServicePollsAtStartAndDrainsAtOnce() throws {
        mailbox.deliver(["DSN\n1"])
        let service = BounceMailboxService(poller: poller, pollMillis: 3_600_000, log: log.sink)
        try service.start()
        #expect(mailbox.listed.wait(until: Date(timeIntervalSinceNow: 30)))
        service.drain()
        #expect(mailbox.state.withLock { $0.interrupted })
    }

    @Test func theLogLineNamesTheKindsNotTheAddresses() {
        let report = BounceReport(results: [
            BounceResult(recipient: "a@example.org", kind: .hard), BounceResult(recipient: nil, kind: .unknown),
        ])
        #expect(BounceMailboxPoller.describe(report) == "2 results: hard, unknown")
    }
}
