import Foundation
import Synchronization
import Testing

@testable import Outreach

/// The wake-up service: notifications wake the channels they name; a lost session is made again
/// after a pause and every loop is woken once (what was notified meanwhile is lost); a backend
/// with nothing to listen to ends the service at once.
@Suite struct WorkWakeupsTests {
    final class Woken: Sendable {
        let channels = Mutex<[Set<String>]>([])
        let all = Atomic<Int>(0)
        let lines = Mutex<[String]>([])
    }

    static func service(_ source: FakeWorkNotifications, _ woken: Woken) -> WorkWakeups {
        WorkWakeups(
            source: source, firstRetryMillis: 5, maxRetryMillis: 20, waitMillis: 5,
            log: { _, line in woken.lines.withLock { $0.append(line) } },
            wake: { c in woken.channels.withLock { $0.append(c) } }, wakeAll: { woken.all.add(1, ordering: .relaxed) })
    }

    @Test func notificationsWakeTheChannelsTheyName() throws {
        let source = FakeWorkNotifications()
        let woken = Woken()
        let s = Self.service(source, woken)
        try s.start()
        #expect(source.subscriptions.load(ordering: .relaxed) == 1, "listening before start returns")
        source.queued.withLock { $0 = [["mail"], ["sms", "hook:crm"]] }
        try TestSupport.waitFor("two wake-ups", interval: 0.005) { woken.channels.withLock { $0.count } == 2 }
        #expect(woken.channels.withLock { $0 } == [["mail"], ["sms", "hook:crm"]])
        #expect(woken.all.load(ordering: .relaxed) == 0, "the first session wakes nothing: the loops start awake")
        s.drain()
    }

    @Test func aLostSessionIsMadeAgainAfterPausesAndWakesEveryLoopOnce() throws {
        let source = FakeWorkNotifications()
        let woken = Woken()
        let s = Self.service(source, woken)
        try s.start()
        source.refusing.store(3, ordering: .relaxed)
        source.lose.store(true, ordering: .relaxed)
        try TestSupport.waitFor("a new session", interval: 0.005) { source.subscriptions.load(ordering: .relaxed) == 2 }
        try TestSupport.waitFor("every loop woken", interval: 0.005) { woken.all.load(ordering: .relaxed) == 1 }
        #expect(source.refusing.load(ordering: .relaxed) == 0, "three refusals, then it listened again")
        source.queued.withLock { $0 = [["mail"]] }
        try TestSupport.waitFor("a wake-up on the new session", interval: 0.005) {
            woken.channels.withLock { $0 } == [["mail"]]
        }
        s.drain()
        #expect(woken.all.load(ordering: .relaxed) == 1)
        let lines = woken.lines.withLock { $0 }
        #expect(lines.filter { $0.contains("listening again after a pause") }.count == 1, "\(lines)")
        #expect(lines.last == "work notifications: listening again", "\(lines)")
    }

    @Test func aFirstFailureDoesNotStopTheNodeAndItListensLater() throws {
        let source = FakeWorkNotifications()
        source.refusing.store(1, ordering: .relaxed)
        let woken = Woken()
        let s = Self.service(source, woken)
        try s.start()
        try TestSupport.waitFor("the second attempt", interval: 0.005) {
            source.subscriptions.load(ordering: .relaxed) == 1
        }
        try TestSupport.waitFor("every loop woken", interval: 0.005) { woken.all.load(ordering: .relaxed) == 1 }
        s.drain()
        #expect(woken.lines.withLock { $0.first?.contains("channel loops poll until it listens again") } == true)
    }

    @Test func nothingToListenToEndsTheServiceAtOnce() throws {
        let woken = Woken()
        let s = Self.service(FakeWorkNotifications(listens: false), woken)
        try s.start()
        s.drain()
        #expect(woken.channels.withLock { $0.isEmpty } && woken.all.load(ordering: .relaxed) == 0)
        #expect(woken.lines.withLock { $0.isEmpty })
    }
}
