import Foundation
import OutreachTestFixtures
import Testing

@testable import Outreach

/// The preferences page's rules (`Preferences`) and its link, in process on a SQLite store.
@Suite struct PreferencesTests {
    let links = LinkSigner(key: Array(repeating: 9, count: 32), baseURL: "https://news.example.org")
    let store: any Store
    let ana: Contact

    init() throws {
        store = try SQLiteStore(path: TestSupport.temporaryDirectory("preferences") + "/outreach.db")
        _ = try store.createList(name: "news", doubleOptIn: false)
        _ = try store.createList(name: "other", doubleOptIn: false)
        _ = try store.createList(name: "club", doubleOptIn: false)
        _ = try store.createList(name: "board", doubleOptIn: false)
        _ = try store.createList(name: "weekly", doubleOptIn: true)
        try store.setListPublic(named: "club", isPublic: true)
        try store.setListPublic(named: "weekly", isPublic: true)
        let id = try store.upsertContacts([Contact(email: "ana@example.org", locale: "en")]).ids[0]
        for list in ["news", "other"] {
            try store.setMembership(
                list: list, contactIDs: [id], state: .subscribed, consent: Consent(source: "t"), by: .officer)
        }
        ana = try #require(try store.contact(matching: "ana@example.org"))
    }

    /// A link made now for Ana (its token, as the page gets it).
    func link(issuedAt: Int64 = WallClock.nowMillis()) throws -> LinkToken {
        var t = LinkToken(
            action: .preferences, list: "", address: "ana@example.org", expires: WallClock.nowMillis() / 1000 + 60,
            contactID: ana.id, issuedAt: issuedAt)
        t = try links.verify(links.token(t))
        return t
    }

    @discardableResult
    func apply(_ change: PreferenceChange, link: LinkToken? = nil) throws -> Bool {
        try Preferences.apply(
            change, contact: try #require(try store.contact(matching: "ana@example.org")),
            link: try link ?? self.link(),
            evidence: "test", store: store, now: WallClock.nowMillis())
    }

    func state(_ list: String) throws -> MembershipState? {
        try store.memberships(contactID: ana.id!).first { $0.list == list }?.state
    }

    /// The link names its purpose: a preferences token is not an unsubscribe or confirm token
    /// (each page checks the action), and turning one into the other breaks the signature.
    @Test func aPreferencesTokenIsNoUnsubscribeTokenNorTheReverse() throws {
        let url = links.preferencesURL(address: "ana@example.org", contactID: 5)
        #expect(url.hasPrefix("https://news.example.org/preferences/"))
        let token = String(url.split(separator: "/").last!)
        let t = try links.verify(token)
        #expect(t.action == .preferences && t.contactID == 5 && t.list.isEmpty && t.address == "ana@example.org")
        #expect(t.expires - WallClock.nowMillis() / 1000 > LinkSigner.unsubscribeLifetime - 60)
        let u = try links.verify(
            String(links.unsubscribeURL(list: "news", address: "a@b.org").split(separator: "/").last!))
        #expect(u.action == .unsubscribe)

        // The same payload with another action letter: refused, not read as the other purpose.
        let parts = token.split(separator: ".")
        var payload = try #require(Crypto.base64URLDecode(String(parts[0])))
        #expect(payload[0] == UInt8(ascii: "P"))
        payload[0] = UInt8(ascii: "U")
        #expect(throws: LinkTokenError.badSignature) {
            try links.verify(Crypto.base64URL(payload) + "." + parts[1])
        }
        // Another installation's key: refused.
        let other = LinkSigner(key: Array(repeating: 1, count: 32), baseURL: "https://x")
        #expect(throws: LinkTokenError.badSignature) { try other.verify(token) }
    }

    /// Leaving is the unsubscribe rule: a consent row with the page as source, and the pending
    /// mail of that list (only) cancelled in the same transaction.
    @Test func leavingLogsTheNoAndCancelsThatListsPendingMail() throws {
        func queue(_ list: String) throws -> Int64 {
            try store.enqueue(
                Message(template: "newsletter", kind: .list, listName: list),
                deliveries: [NewDelivery(channel: "outbox", address: "ana@example.org", contactID: ana.id)],
                idempotency: nil
            ).deliveryIDs[0]
        }
        let news = try queue("news")
        let other = try queue("other")
        #expect(try apply(.leave(list: "news")))
        #expect(try state("news") == .unsubscribed)
        let log = try #require(try store.export(contactID: ana.id!)["consent"]?.arrayValue?.last)
        #expect(log["list"]?.stringValue == "news" && log["state"]?.stringValue == "unsubscribed")
        #expect(log["source"]?.stringValue == Preferences.source && log["evidence"]?.stringValue == "test")
        let all = try store.deliveries(state: nil, messageID: nil, limit: 10)
        #expect(all.first { $0.id == news }?.state == .cancelled)
        #expect(all.first { $0.id == news }?.cancelReason == .unsubscribed)
        #expect(all.first { $0.id == other }?.state == .queued)
        // Leaving again, or a list one is not on: nothing changes.
        #expect(try !apply(.leave(list: "news")))
        #expect(try !apply(.leave(list: "board")))
        #expect(try state("board") == nil)
    }

    /// Joining: a public list at once (a double opt-in one too: the link proves the mailbox), a
    /// list that is not public never, and a list left after the link was sent not with that link.
    @Test func joiningTakesPublicListsOnly() throws {
        #expect(try apply(.join(list: "club")))
        #expect(try state("club") == .subscribed)
        #expect(try apply(.join(list: "weekly")))
        #expect(try state("weekly") == .subscribed)
        #expect(throws: PreferenceRefusal.notJoinable(list: "board")) { try apply(.join(list: "board")) }
        #expect(throws: PreferenceRefusal.notJoinable(list: "nope")) { try apply(.join(list: "nope")) }
        #expect(try state("board") == nil)

        let old = try link(issuedAt: WallClock.nowMillis() - 60_000)
        #expect(try apply(.leave(list: "club")))
        #expect(throws: PreferenceRefusal.leftAfterLink(list: "club")) { try apply(.join(list: "club"), link: old) }
        #expect(try state("club") == .unsubscribed)
        // A link sent after the no (the next newsletter's) brings them back.
        #expect(try apply(.join(list: "club"), link: try link(issuedAt: WallClock.nowMillis() + 1)))
        #expect(try state("club") == .subscribed)
    }

    /// A suppressed address: a bounce refuses the join (the page cannot know the mailbox works);
    /// a complaint made before the link was sent is lifted by their own choice, one made after is not.
    @Test func aSuppressedAddressJoinsOnlyByTheirOwnLaterOptIn() throws {
        try store.suppress(address: "ana@example.org", reason: .bounce, detail: "550 no such user")
        #expect(throws: PreferenceRefusal.suppressed(address: "ana@example.org", reason: .bounce)) {
            try apply(.join(list: "club"))
        }
        #expect(try state("club") == nil)
        _ = try SuppressionLift.remove(address: "ana@example.org", note: "fixed", store: store, now: 1)

        let before = try link(issuedAt: WallClock.nowMillis() - 60_000)
        try store.suppress(address: "ana@example.org", reason: .complaint, detail: nil)
        #expect(throws: PreferenceRefusal.suppressed(address: "ana@example.org", reason: .complaint)) {
            try apply(.join(list: "club"), link: before)
        }
        #expect(try apply(.join(list: "club"), link: try link(issuedAt: WallClock.nowMillis() + 1)))
        #expect(try store.suppression(for: "ana@example.org") == nil)
        #expect(try store.suppressionRemovals(address: "ana@example.org").last?.atTheirRequest == true)
    }

    /// Language and channel: validated, written to the contact, one logged row per change.
    @Test func languageAndChannelAreValidatedAndLogged() throws {
        #expect(try apply(.language("da")))
        #expect(try !apply(.language("da")))
        #expect(throws: PreferenceRefusal.badLanguage("not a tag!")) { try apply(.language("not a tag!")) }
        #expect(try store.contact(matching: "ana@example.org")?.locale == "da")
        #expect(throws: PreferenceRefusal.noAddress(.sms)) { try apply(.channel(.sms)) }
        #expect(try apply(.channel(.email)))
        let rows = try #require(try store.export(contactID: ana.id!)["preferences"]?.arrayValue)
        #expect(rows.map { $0["field"]?.stringValue } == ["locale", "preferred_channel"])
        #expect(rows.allSatisfy { $0["source"]?.stringValue == Preferences.source })
    }

    /// What the page shows: the lists they are on, the public ones they are not on, the languages
    /// the templates ship and theirs, the channels they have an address for.
    @Test func theViewShowsTheirListsAndThePublicOnes() throws {
        let v = try Preferences.view(contact: ana, link: try link(), shippedLocales: ["en", "da", "sv"], store: store)
        #expect(v.subscribed.map(\.name) == ["news", "other"])
        #expect(v.joinable.map(\.name) == ["club", "weekly"])
        #expect(v.languages == ["da", "en", "sv"])
        #expect(v.channels == [.email])
        #expect(v.suppression == nil)
        #expect(Preferences.languages(shipped: ["en"], current: "pt-BR") == ["en", "pt-BR"])

        // A suppression is shown when it refuses a join by this link, not when joining lifts it.
        let before = try link(issuedAt: WallClock.nowMillis() - 60_000)
        try store.suppress(address: "ana@example.org", reason: .unsubscribed, detail: nil)
        let old = try Preferences.view(contact: ana, link: before, shippedLocales: [], store: store)
        #expect(old.suppression == .unsubscribed)
        let newer = try link(issuedAt: WallClock.nowMillis() + 1)
        #expect(try Preferences.view(contact: ana, link: newer, shippedLocales: [], store: store).suppression == nil)
    }

    /// `preferences_url` in list, test and event mail to a contact; none in transactional mail
    /// (a confirmation) nor for an address without a contact.
    @Test func mailWithAFooterCarriesThePreferencesLink() throws {
        let config = try Config.parse(
            "[sender]\nfrom = \"News <news@example.org>\"\n",
            file: TestSupport.temporaryDirectory("prefs-composer") + "/outreachd.conf", environment: [:])
        let library = try TemplateLibrary(directory: TestSupport.fixtures + "/templates", defaultLocale: "en")
        let composer = TemplateComposer(library: library, config: config, links: links)
        func context(_ message: Message, contact: Contact?) -> JSON {
            composer.context(
                ClaimedDelivery(
                    delivery: Delivery(
                        id: 1, messageID: 9, contactID: contact?.id, channel: "email", address: "ana@example.org",
                        state: .sending, attempts: 1, createdAt: 0, updatedAt: 0),
                    message: message, contact: contact))
        }
        let person = Contact(id: 5, email: "ana@example.org")
        for m in [
            Message(id: 9, template: "welcome", kind: .list, listName: "news"),
            Message(id: 9, template: "welcome", kind: .test, listName: "news"),
            Message(id: 9, template: "welcome", kind: .transactional, eventID: 3),
        ] {
            let url = try #require(context(m, contact: person)["preferences_url"]?.stringValue)
            let t = try links.verify(String(url.split(separator: "/").last!))
            #expect(t.action == .preferences && t.contactID == 5)
        }
        #expect(
            context(Message(template: "confirm", kind: .transactional, listName: "news"), contact: person)[
                "preferences_url"] == nil)
        #expect(
            context(Message(template: "welcome", kind: .list, listName: "news"), contact: nil)["preferences_url"] == nil
        )
    }
}
