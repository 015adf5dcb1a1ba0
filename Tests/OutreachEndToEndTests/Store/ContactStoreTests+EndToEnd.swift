import Foundation
import Testing

@testable import Outreach

/// What erasing leaves in the database file, read with the sqlite3 tool.
@Suite struct ContactStoreTests {
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
