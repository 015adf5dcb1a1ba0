import Foundation
import Outreach
import Testing

extension StoreConformance {
    /// A claimed batch carries each delivery's own contact (PostgreSQL reads them in one statement),
    /// and a batch of sent outcomes records each delivery's provider id as given, quotes,
    /// backslashes, braces, the word NULL and a missing id alike (PostgreSQL sends them as one array).
    public static func aBatchCarriesItsContactsAndEachProviderID(_ s: any QueueingStore) throws {
        let emails = (0..<5).map { "b\($0)@example.org" }
        let ids = try contacts(s, emails)
        _ = try s.enqueue(
            Message(template: "welcome"),
            deliveries: zip(ids, emails).map { NewDelivery(channel: "outbox", address: $0.1, contactID: $0.0) }
                + [NewDelivery(channel: "outbox", address: "adhoc@example.org")], idempotency: nil)
        let c = try claimAll(s)
        #expect(c.count == 6)
        for d in c {
            #expect(d.contact?.id == d.delivery.contactID)
            #expect(d.delivery.contactID == nil || d.contact?.email == d.delivery.address)
        }
        let providerIDs: [String?] = ["gw-\"quoted\"", #"back\slash"#, "NULL", nil, "{a,b}"]
        let t = now
        let withContact = c.filter { $0.delivery.contactID != nil }
        let adHoc = try #require(c.first { $0.delivery.contactID == nil })
        try s.complete(
            zip(withContact, providerIDs).map { result($0.0, .sent(providerID: $0.1)) }
                + [result(adHoc, .transient("busy"), retryAt: t + 60_000)], owner: "w", now: t)
        for (d, pid) in zip(withContact, providerIDs) {
            let got = try #require(try s.delivery(id: d.delivery.id))
            #expect(got.state == .sent && got.providerID == pid && got.sentAt == t)
        }
        #expect(try s.delivery(id: adHoc.delivery.id)?.state == .failed)
        // Only the lease's owner completes, in a batch as alone.
        let again = try s.claim(channels: nil, limit: 10, owner: "w", leaseMillis: 60_000, now: t + 60_001)
        #expect(again.map(\.delivery.id) == [adHoc.delivery.id])
        try s.complete(again.map { result($0, .sent(providerID: "late")) }, owner: "someone else", now: t + 60_002)
        #expect(try s.delivery(id: adHoc.delivery.id)?.state == .sending)
    }
}
