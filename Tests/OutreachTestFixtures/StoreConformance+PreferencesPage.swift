import Foundation
import Outreach
import Testing

extension StoreConformance {
    /// The preferences page's writes: a list is public only when made so (and back); a person's
    /// language and channel are written with one logged row per field changed, none for a value
    /// already stored; an erasure forgets the rows.
    public static func publicListsAndLoggedPreferences(_ s: any ContactStore & ConsentStore) throws {
        #expect(try s.createList(name: "news", doubleOptIn: false).isPublic == false)
        #expect(try s.setListPublic(named: "news", isPublic: true).isPublic)
        #expect(try s.list(named: "news")?.isPublic == true)
        #expect(try s.lists().first?.isPublic == true)
        #expect(try s.setListPublic(named: "news", isPublic: false).isPublic == false)
        #expect(throws: StoreError.unknownList("nope")) { try s.setListPublic(named: "nope", isPublic: true) }
        // Made public as it is created (`lists create --public`): one transaction, read back as stored.
        let made = try s.createList(
            name: "open", doubleOptIn: true, isPublic: true, details: ListDetails(title: "Open"))
        #expect(made.isPublic && made.doubleOptIn && made.details.title == "Open")
        #expect(try s.list(named: "open")?.isPublic == true)

        let id = try s.upsertContacts([Contact(email: "ana@example.org", phone: "+4520304050", locale: "en")]).ids[0]
        let consent = Consent(source: "preferences page", evidence: "POST from ip=127.0.0.1")
        #expect(
            try s.setContactPreferences(contactID: id, locale: "da", preferredChannel: .sms, consent: consent) == [
                "locale", "preferred_channel",
            ])
        #expect(try s.setContactPreferences(contactID: id, locale: "da", preferredChannel: nil, consent: consent) == [])
        let c = try #require(try s.contact(matching: "ana@example.org"))
        #expect(c.locale == "da" && c.preferredChannel == .sms)
        let rows = try #require(try s.export(contactID: id)["preferences"]?.arrayValue)
        #expect(rows.count == 2)
        #expect(rows[0]["field"]?.stringValue == "locale" && rows[0]["value"]?.stringValue == "da")
        #expect(rows[0]["from"]?.stringValue == "en" && rows[0]["source"]?.stringValue == "preferences page")
        #expect(rows[1]["field"]?.stringValue == "preferred_channel" && rows[1]["from"] == nil)
        #expect(throws: StoreError.unknownContact("999")) {
            try s.setContactPreferences(contactID: 999, locale: "sv", preferredChannel: nil, consent: consent)
        }
    }
}
