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

}
