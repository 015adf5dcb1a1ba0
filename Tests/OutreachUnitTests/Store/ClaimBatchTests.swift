import Foundation
import Testing

@testable import Outreach

/// The claim leases, reads deliveries and reads contacts one statement each for the whole batch:
/// what each delivery is handed must be exactly what a statement per delivery gave.
@Suite struct ClaimBatchTests {
    @Test func aMixedBatchKeepsOrderContactsLeasesAndAttempts() throws {
        let s = try SQLiteStore(path: TestSupport.temporaryDirectory("claim-batch") + "/o.db")
        let emails = ["a@example.org", "b@example.org", "c@example.org"]
        let ids = try s.upsertContacts(emails.map { Contact(email: $0, name: $0.uppercased()) }).ids
        // A minute ahead: every delivery enqueued below is due by then (one made a millisecond after
        // a `t` read now would not be, and the claim would find fewer than it should).
        let t = WallClock.nowMillis() + 60_000
        // Two deliveries whose lease expires: taken over first, their second attempt.
        let old = try s.enqueue(
            Message(template: "welcome"),
            deliveries: [
                NewDelivery(channel: "outbox", address: "a@example.org", contactID: ids[0]),
                NewDelivery(channel: "outbox", address: "x@example.org"),
            ], idempotency: nil)
        #expect(try s.claim(channels: nil, limit: 10, owner: "dead", leaseMillis: 1, now: t).count == 2)
        // A contact twice, one without a contact, and one whose contact row is gone (refused: erased).
        let fresh = try s.enqueue(
            Message(template: "welcome"),
            deliveries: [
                NewDelivery(channel: "outbox", address: "b@example.org", contactID: ids[1]),
                NewDelivery(channel: "outbox", address: "a@example.org", contactID: ids[0]),
                NewDelivery(channel: "outbox", address: "adhoc@example.org"),
                NewDelivery(channel: "outbox", address: "c@example.org", contactID: ids[2]),
                NewDelivery(channel: "outbox", address: "a2@example.org", contactID: ids[0]),
            ], idempotency: nil)
        try s.write { db in try db.execute("DELETE FROM contacts WHERE id = \(ids[2])") }
        // Never claimed: another channel, and one not due yet.
        let other = try s.enqueue(
            Message(template: "welcome"), deliveries: [NewDelivery(channel: "sms", address: "+4512345678")],
            idempotency: nil)

        let claimed = try s.claim(channels: ["outbox"], limit: 100, owner: "w", leaseMillis: 60_000, now: t + 10)
        #expect(Set(claimed.prefix(2).map(\.delivery.id)) == Set(old.deliveryIDs))
        // The delivery whose contact is gone is refused at the claim (erased), the others keep their order.
        let gone = fresh.deliveryIDs[3]
        #expect(claimed.dropFirst(2).map(\.delivery.id) == fresh.deliveryIDs.filter { $0 != gone })
        let refused = try #require(try s.delivery(id: gone))
        #expect(refused.state == .cancelled && refused.cancelReason == .erased && refused.attempts == 0)
        for c in claimed {
            #expect(c.delivery.state == .sending)
            #expect(c.delivery.attempts == (old.deliveryIDs.contains(c.delivery.id) ? 2 : 1))
            #expect(c.message.id == c.delivery.messageID)
            #expect(c.contact?.id == c.delivery.contactID)
            if let contact = c.contact { #expect(emails.contains(contact.email ?? "")) }
        }
        #expect(claimed.first { $0.delivery.address == "a2@example.org" }?.contact?.email == "a@example.org")
        // The lease is the new owner's: only it completes; the old owner's word is ignored.
        let first = try #require(claimed.first)
        try s.complete(
            [DeliveryResult(id: first.delivery.id, outcome: .sent(providerID: "x"), retryAt: nil, address: "a")],
            owner: "dead", now: t + 20)
        #expect(try s.delivery(id: first.delivery.id)?.state == .sending)
        try s.complete(
            [DeliveryResult(id: first.delivery.id, outcome: .sent(providerID: "x"), retryAt: nil, address: "a")],
            owner: "w", now: t + 20)
        #expect(try s.delivery(id: first.delivery.id)?.state == .sent)
        // What was not in the batch is untouched.
        let untouched = try #require(try s.delivery(id: other.deliveryIDs[0]))
        #expect(untouched.state == .queued && untouched.attempts == 0)
        #expect(try s.claim(channels: ["outbox"], limit: 100, owner: "z", leaseMillis: 60_000, now: t + 30).isEmpty)
    }
}
