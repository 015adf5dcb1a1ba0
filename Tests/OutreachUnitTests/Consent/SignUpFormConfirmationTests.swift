import Foundation
import OutreachTestFixtures
import Testing

@testable import Outreach

/// The values of a sign-up form wait for the person's confirmation; a later form posted by anyone
/// with the same address replaces them, and the person's confirmation of their own, earlier
/// sign-up (an older link) wrote the other's values to their contact. It writes none now.
@Suite struct SignUpFormConfirmationTests {
    @Test func aLaterFormBySomeoneElseDoesNotRideOnTheFirstConfirmation() throws {
        let s = try SQLiteStore(path: TestSupport.temporaryDirectory("rev19") + "/o.db")
        _ = try s.createList(name: "club", doubleOptIn: true, details: ListDetails(formFields: ["country"]))
        func signUp(_ fields: [String: String]) throws -> SignUpOutcome {
            try s.signUp(
                SignUpRequest(
                    contact: Contact(email: "ana@example.org"), list: "club", consent: Consent(source: "form"),
                    confirmation: (
                        Message(template: "confirm", listName: "club"),
                        NewDelivery(channel: "outbox", address: "ana@example.org")
                    ), fields: fields))
        }
        _ = try signUp(["country": "IT"])  // Ana herself
        let herLink = WallClock.nowMillis()  // her confirmation link is made (and sent) now
        while WallClock.nowMillis() <= herLink + 2 {}
        _ = try signUp(["country": "DE"])  // someone else, with her address
        let id = try #require(try s.contact(matching: "ana@example.org")?.id)
        // Ana clicks the link of her own sign-up.
        try s.setMembership(
            list: "club", contactIDs: [id], state: .subscribed, consent: Consent(source: "double-opt-in"),
            by: .personConfirmed(issuedAt: herLink + 1))
        #expect(try s.contact(matching: "ana@example.org")?.attributes["country"] != "DE")
    }
}
