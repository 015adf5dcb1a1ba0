import Foundation
import Testing
@testable import Outreach

/// Which leases a restart may end at once: only those of a process of this machine that has
/// certainly stopped. Everything else waits for the lease to expire.
@Suite struct LeaseOwnerTests {
    /// A `sleep` child and the owner it would write.
    func child() throws -> (Process, LeaseOwner) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sleep")
        p.arguments = ["60"]
        try p.run()
        var me = LeaseOwner.current()
        me.pid = p.processIdentifier
        me.startTicks = LeaseOwner.stat(of: p.processIdentifier)?.startTicks
        return (p, me)
    }

    @Test func aStoppedProcessIsGoneARunningOneIsNot() throws {
        let (p, owner) = try child()
        #expect(owner.startTicks != nil)
        #expect(!owner.isGone)
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(owner.isGone)
    }

    @Test func anotherHostBootOrNamespaceWaitsForExpiry() throws {
        let (p, owner) = try child()
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        for change in [
            { (o: inout LeaseOwner) in o.host += "-elsewhere" }, { $0.boot = "00000000" },
            { $0.pidNamespace = "1" }, { $0.startTicks = nil },
        ] {
            var o = owner
            change(&o)
            #expect(!o.isGone, "\(o.text)")
            #expect(LeaseOwner(o.text).map(\.isGone) == false)
        }
    }

    @Test func expiringLeasesEndsOnlyThoseOfStoppedProcesses() throws {
        let s = try SQLiteStore(path: TestSupport.temporaryDirectory("lease") + "/o.db")
        _ = try s.enqueue(
            Message(template: "welcome"),
            deliveries: (0..<8).map { NewDelivery(channel: "outbox", address: "p\($0)@example.org") },
            idempotency: nil)
        let (p, stopped) = try child()
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        var remote = stopped
        remote.host += "-elsewhere"
        let now = WallClock.nowMillis()
        let owners = [stopped.text, remote.text, LeaseOwner.current().text, "mail1:1:a1b2c3"]
        for o in owners {
            #expect(try s.claim(channels: nil, limit: 2, owner: o, leaseMillis: 300_000, now: now).count == 2)
        }
        #expect(try s.claim(channels: nil, limit: 8, owner: "new", leaseMillis: 300_000, now: now + 1).isEmpty)
        #expect(try s.expireLeasesOfStoppedProcesses(now: now + 1) == 2)
        let taken = try s.claim(channels: nil, limit: 8, owner: "new", leaseMillis: 300_000, now: now + 1)
        #expect(taken.count == 2)
        // The attempt stays counted: the stopped process may have sent before it died.
        #expect(taken.allSatisfy { $0.delivery.attempts == 2 })
        #expect(try s.expireLeasesOfStoppedProcesses(now: now + 2) == 0)
    }
}
