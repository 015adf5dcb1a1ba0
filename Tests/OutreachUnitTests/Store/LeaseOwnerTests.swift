import Foundation
import Testing

@testable import Outreach

/// A lease owner of this very process; `LeaseOwnerTests+EndToEnd` starts a child to judge.
@Suite struct LeaseOwnerTests {
    @Test func aReusedPidIsNotTakenForTheHolder() throws {
        // The pid is running (this process), but started at another time: the holder has stopped.
        var other = LeaseOwner.current()
        other.startTicks = other.startTicks.map { $0 + 1 }
        #expect(other.isGone)
    }

    @Test func anOwnerReadsBackAndOlderOwnersAreNotJudged() throws {
        let me = LeaseOwner.current()
        #expect(me.pid == getpid())
        #expect(me.startTicks != nil)
        #expect(!me.boot.isEmpty && !me.pidNamespace.isEmpty)
        #expect(LeaseOwner(me.text) == me)
        #expect(!me.isGone, "this very process was judged stopped")
        // What versions before this one wrote: host:pid:random.
        #expect(LeaseOwner("mail1:4242:a1b2c3") == nil)
        #expect(LeaseOwner("dead") == nil)
        #expect(LeaseOwner("h:0:1.ab.1:n") == nil)
    }
}
