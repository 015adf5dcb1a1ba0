import Foundation
import Testing
@testable import Outreach

@Suite struct ContactStoreTests {
    @Test func upsertMatchesByEmailThenPhoneAndIsIdempotent() throws {
        let s = try SQLiteStore(path: TestSupport.temporaryDirectory("contacts") + "/o.db")
        let a = Contact(email: "sren@example.dk", name: "Søren Ærø", locale: "da", attributes: ["role": "mentor"])
        let b = Contact(phone: "+4521436677", name: "Amal")
        var c = try s.upsertContacts([a, b])
        #expect(c.inserted == 2)
        c = try s.upsertContacts([a, b])
        #expect(c.unchanged == 2 && c.inserted == 0 && c.updated == 0)
        c = try s.upsertContacts([Contact(phone: "+4521436677", locale: "ar")])
        #expect(c.updated == 1)
        #expect(try s.contact(matching: "+4521436677")?.locale == "ar")
        #expect(try s.contact(matching: "SREN@example.dk")?.attributes == ["role": "mentor"])
    }

    @Test func eraseKeepsOnlyAHashedSuppression() throws {
        let path = TestSupport.temporaryDirectory("erase") + "/o.db"
        let s = try SQLiteStore(path: path)
        _ = try s.createList(name: "news", doubleOptIn: false)
        let ids = try s.upsertContacts([
            Contact(email: "maria@example.org", phone: "+4520000001", name: "Maria Sørensen")
        ]).ids
        try s.setMembership(
            list: "news", contactIDs: ids, state: .subscribed, consent: Consent(source: "test", evidence: "form 12"))
        _ = try s.enqueue(
            Message(template: "t", kind: .list),
            deliveries: [
                NewDelivery(channel: "o", address: "maria@example.org", contactID: ids[0], name: "Maria Sørensen")
            ], idempotency: nil)
        try s.eraseContact(id: ids[0])
        #expect(try s.contact(matching: "maria@example.org") == nil)
        #expect(try s.suppression(for: "Maria@Example.org") == .erased)
        #expect(try s.suppression(for: "+4520000001") == .erased)
        // Nothing readable is left in the file: check with the sqlite3 tool, not our own code.
        let dump = try TestSupport.run("sqlite3", [path, ".dump"]).stdout
        #expect(!dump.contains("maria@example.org"))
        #expect(!dump.contains("Sørensen"))
        #expect(!dump.contains("+4520000001"))
        #expect(!dump.contains("form 12"))
    }
}
