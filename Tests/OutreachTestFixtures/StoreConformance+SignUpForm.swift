import Foundation
import Outreach
import Testing

extension StoreConformance {
    /// Issue 19.7: a list keeps its thank-you URL and form fields; a sign-up form's values wait
    /// with a pending membership and reach the contact only when the person confirms; without a
    /// confirmation a newcomer gets them, an existing contact only those it lacks.
    public static func formValuesWaitForThePersonsConfirmation(_ s: any ContactStore & ConsentStore) throws {
        let details = ListDetails(thankYouURL: "https://www.example.org/thanks", formFields: ["country", "role"])
        _ = try s.createList(name: "club", doubleOptIn: true, details: details)
        _ = try s.createList(name: "news", doubleOptIn: false)
        #expect(try s.list(named: "club")?.details.thankYouURL == "https://www.example.org/thanks")
        #expect(try s.list(named: "club")?.details.formFields == ["country", "role"])
        var changed = try #require(try s.list(named: "club")).details
        changed.formFields = ["role"]
        changed.thankYouURL = nil
        _ = try s.updateList(named: "club", details: changed)
        #expect(try s.list(named: "club")?.details.formFields == ["role"])
        #expect(try s.list(named: "club")?.details.thankYouURL == nil)

        let ana = try s.upsertContacts([Contact(email: "ana@example.org", attributes: ["role": "teacher"])]).ids[0]
        func signUp(_ list: String, _ email: String, _ fields: [String: String]) throws -> SignUpOutcome {
            try s.signUp(
                SignUpRequest(
                    contact: Contact(email: email), list: list, consent: Consent(source: "form"),
                    confirmation: (
                        Message(template: "confirm", listName: list), NewDelivery(channel: "outbox", address: email)
                    ), fields: fields))
        }
        guard case .confirmationQueued = try signUp("club", "ana@example.org", ["role": "student", "country": "IT"])
        else { Issue.record("no confirmation"); return }
        #expect(try s.contact(matching: "ana@example.org")?.attributes == ["role": "teacher"])
        // An officer's change is not the person's word: the values keep waiting... and are dropped.
        try s.setMembership(
            list: "club", contactIDs: [ana], state: .subscribed, consent: Consent(source: "cli"), by: .officer)
        #expect(try s.contact(matching: "ana@example.org")?.attributes == ["role": "teacher"])
        try s.setMembership(
            list: "club", contactIDs: [ana], state: .unsubscribed, consent: Consent(source: "t"), by: .person)
        _ = try signUp("club", "ana@example.org", ["role": "student", "country": "IT"])
        try s.setMembership(
            list: "club", contactIDs: [ana], state: .subscribed, consent: Consent(source: "double-opt-in"),
            by: .personConfirmed(issuedAt: WallClock.nowMillis() + 1_000))
        #expect(try s.contact(matching: "ana@example.org")?.attributes == ["role": "student", "country": "IT"])

        // No confirmation: a newcomer gets the values; an existing contact only what it lacks.
        _ = try signUp("news", "bo@example.org", ["country": "DK"])
        #expect(try s.contact(matching: "bo@example.org")?.attributes == ["country": "DK"])
        _ = try signUp("news", "ana@example.org", ["role": "spy", "team": "blue"])
        #expect(
            try s.contact(matching: "ana@example.org")?.attributes == [
                "role": "student", "country": "IT", "team": "blue",
            ])
    }
}
