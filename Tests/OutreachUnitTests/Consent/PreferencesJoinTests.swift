import Foundation
import OutreachTestFixtures
import Testing

@testable import Outreach

/// Someone who unsubscribed from all mail (one-click of a link without a list: a
/// suppression of kind `unsubscribed`, their memberships left as they were) joins ONE public list
/// on their preferences page. The join lifted the whole suppression, so every list they had left
/// by "no more mail" sent to them again; now those lists are left in the lift's transaction.
@Suite struct PreferencesJoinTests {
    @Test func joiningOneListDoesNotBringBackTheListsTheySaidNoTo() throws {
        let store: any Store = try SQLiteStore(path: TestSupport.temporaryDirectory("rev19p") + "/o.db")
        _ = try store.createList(name: "news", doubleOptIn: false)
        _ = try store.createList(name: "club", doubleOptIn: false)
        try store.setListPublic(named: "club", isPublic: true)
        let id = try store.upsertContacts([Contact(email: "ana@example.org")]).ids[0]
        try store.setMembership(
            list: "news", contactIDs: [id], state: .subscribed, consent: Consent(source: "t"), by: .officer)
        // "No more mail": the one-click of a link without a list.
        try store.suppress(address: "ana@example.org", reason: .unsubscribed, detail: "one-click unsubscribe")
        let said = WallClock.nowMillis()
        while WallClock.nowMillis() <= said + 2 {}
        // A later transactional mail carries her preferences link; she joins the club.
        let link = LinkToken(
            action: .preferences, list: "", address: "ana@example.org", expires: WallClock.nowMillis() / 1000 + 60,
            contactID: id, issuedAt: WallClock.nowMillis())
        let ana = try #require(try store.contact(matching: "ana@example.org"))
        try Preferences.apply(
            .join(list: "club"), contact: ana, link: link, evidence: "t", store: store, now: WallClock.nowMillis())
        let news = try store.memberships(contactID: id).first { $0.list == "news" }?.state
        let suppressed = try store.suppression(for: "ana@example.org")
        // news mail must still not reach her: either news is unsubscribed or the address stays suppressed.
        #expect(!(news == .subscribed && suppressed == nil))
    }
}
