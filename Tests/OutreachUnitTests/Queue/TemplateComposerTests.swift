import Foundation
import Testing
import OutreachTestFixtures

@testable import Outreach

/// `TemplateComposer` and `EmailComposer` on the template folder in Fixtures/templates: what a
/// channel is handed for a claimed delivery, in process.
@Suite struct TemplateComposerTests {
    let config: Config
    let composer: TemplateComposer
    let links = LinkSigner(key: Array(repeating: 7, count: 32), baseURL: "https://news.example.org")

    init() throws {
        config = try Config.parse(
            """
            [sender]
            from = "Example News <news@example.org>"
            reply_to = "help@example.org"
            """, file: TestSupport.temporaryDirectory("composer") + "/outreachd.conf", environment: [:])
        let library = try TemplateLibrary(directory: TestSupport.fixtures + "/templates", defaultLocale: "en")
        composer = TemplateComposer(library: library, config: config, links: links)
    }

    func claimed(
        id: Int64 = 41, address: String = "ana@example.org", contact: Contact? = Contact(id: 5, name: "Ana Berg"),
        message: Message = Message(id: 9, template: "welcome", kind: .list, listName: "news"), channel: String = "email"
    ) -> ClaimedDelivery {
        ClaimedDelivery(
            delivery: Delivery(
                id: id, messageID: message.id ?? 0, contactID: contact?.id, channel: channel, address: address,
                state: .sending, attempts: 1, createdAt: 1_768_478_400_000, updatedAt: 1_768_478_400_000),
            message: message, contact: contact)
    }

    /// Issue 17: every email names its delivery in a header a bounce returns, and with a bounce
    /// address the envelope sender is a VERP address whose signed token names the delivery.
    @Test func theEnvelopeNamesTheDeliveryWhenTheChannelHasABounceAddress() throws {
        let plain = try composer.compose(claimed(), for: FakeChannel(kind: .email))
        #expect(plain.envelopeFrom == "news@example.org")
        let head = String(decoding: try #require(plain.mime), as: UTF8.self).components(separatedBy: "\r\n\r\n")[0]
        #expect(head.contains("\r\nX-Outreach-Delivery: 41\r\n"))

        let verp = try composer.compose(
            claimed(id: 77), for: FakeChannel(kind: .email, bounceAddress: "bounces@news.example.org"))
        let from = try #require(verp.envelopeFrom)
        #expect(from.hasPrefix("bounces+") && from.hasSuffix("@news.example.org"))
        #expect(VERPToken(key: links.key).delivery(fromAddress: from) == 77)
        // Another key (another installation) cannot read it, and a token altered by one letter is refused.
        #expect(VERPToken(key: Array(repeating: 8, count: 32)).delivery(fromAddress: from) == nil)
        let local = from.split(separator: "@")[0]
        let altered = String(local.dropLast()) + (local.last == "a" ? "b" : "a") + "@news.example.org"
        #expect(VERPToken(key: links.key).delivery(fromAddress: altered) == nil)
        // The header From stays the sender's.
        #expect(
            String(decoding: try #require(verp.mime), as: UTF8.self).contains("From: Example News <news@example.org>"))
    }

    @Test func anEmailIsRenderedForItsRecipientWithAllItsParts() throws {
        let m = try composer.compose(claimed(), for: FakeChannel(kind: .email))
        #expect(m.deliveryID == 41)
        #expect(m.address == "ana@example.org")
        #expect(m.recipientName == "Ana Berg")
        #expect(m.subject == "Welcome to news, Ana")
        #expect(m.html == "<p>Hello Ana, welcome to news.</p>\n")
        let lines = m.text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.prefix(2) == ["Hello Ana, welcome to news.", "-- The Example team"])
        let unsubscribe = try #require(lines.first { $0.hasPrefix("Unsubscribe: ") }).dropFirst("Unsubscribe: ".count)
        #expect(unsubscribe.hasPrefix("https://news.example.org/unsubscribe/"))
        // The link is signed for this list and address.
        let token = try links.verify(String(unsubscribe.dropFirst("https://news.example.org/unsubscribe/".count)))
        #expect(token.list == "news" && token.address == "ana@example.org" && token.contactID == 5)
        #expect(m.envelopeFrom == "news@example.org")

        let mime = String(decoding: try #require(m.mime), as: UTF8.self)
        let head = mime.components(separatedBy: "\r\n\r\n")[0]
        #expect(head.contains("From: Example News <news@example.org>"))
        #expect(head.contains("To: Ana Berg <ana@example.org>"))
        #expect(head.contains("Reply-To: help@example.org"))
        #expect(head.contains("Subject: Welcome to news, Ana"))
        #expect(head.contains("List-Id: <news.example.org>"))
        #expect(head.contains("List-Unsubscribe: <\(unsubscribe)>"))
        #expect(head.contains("Message-ID: <outreach.41.9.\(String(1_768_478_400_000, radix: 36))@example.org>"))
        #expect(mime.contains("multipart/alternative"))
    }

    @Test func theContactsLocalePicksTheVariantAndItsPartial() throws {
        let c = claimed(contact: Contact(id: 5, name: "Søren Dal", locale: "da"))
        let m = try composer.compose(c, for: FakeChannel(kind: .email))
        #expect(m.subject == "Velkommen til news, Søren")
        #expect(m.text == "Hej Søren, velkommen til news.\n-- Holdet hos Example\n")
        // The Danish variant has no HTML part: the mail is text only.
        #expect(m.html == nil)
        #expect(!String(decoding: try #require(m.mime), as: UTF8.self).contains("multipart/alternative"))
    }

    @Test func anSMSIsTextWithTheMessagesDataAndNoMIME() throws {
        let message = Message(id: 9, template: "welcome", data: ["code": "4711"])
        let c = claimed(address: "+4512345678", contact: nil, message: message, channel: "sms")
        let m = try composer.compose(c, for: FakeChannel(name: "sms", kind: .sms))
        #expect(m.text == "Hi , your code is 4711.\n")
        #expect(m.mime == nil && m.envelopeFrom == nil && m.subject == nil)
    }

    @Test func anAdHocRecipientsAddressBecomesTheirContactDetails() throws {
        let email = composer.context(claimed(address: "x@example.org", contact: nil))
        #expect(email["contact"]?["email"]?.stringValue == "x@example.org")
        #expect(email["contact"]?["phone"] == nil)
        let phone = composer.context(claimed(address: "+4512345678", contact: nil))
        #expect(phone["contact"]?["phone"]?.stringValue == "+4512345678")
        #expect(phone["contact"]?["email"] == nil)
    }

    @Test func onlyATransactionalMessageOfAListGetsAConfirmLink() throws {
        let list = composer.context(claimed())
        #expect(list["unsubscribe_url"] != nil)
        #expect(list["confirm_url"] == nil)
        let confirmation = composer.context(
            claimed(message: Message(id: 9, template: "welcome", kind: .transactional, listName: "news")))
        #expect(confirmation["confirm_url"]?.stringValue?.hasPrefix("https://news.example.org/confirm/") == true)
        let plain = composer.context(claimed(message: Message(id: 9, template: "welcome")))
        #expect(plain["unsubscribe_url"] == nil && plain["confirm_url"] == nil && plain["list"] == nil)
    }

    @Test func transactionalMailHasNoListHeaders() throws {
        let c = claimed(message: Message(id: 9, template: "welcome", kind: .transactional))
        let mime = String(
            decoding: try #require(try composer.compose(c, for: FakeChannel(kind: .email)).mime), as: UTF8.self)
        #expect(!mime.contains("List-Id:") && !mime.contains("List-Unsubscribe"))
    }

    @Test func aTemplateThatDoesNotExistOrLacksTheKindIsAnError() throws {
        #expect(throws: (any Error).self) {
            try composer.compose(claimed(message: Message(id: 9, template: "nope")), for: FakeChannel(kind: .email))
        }
        #expect(throws: (any Error).self) {
            try composer.compose(claimed(), for: FakeChannel(kind: .chat))
        }
    }

    @Test func anInvalidSenderIsAnErrorOfTheEmailNotOfOtherKinds() throws {
        let bad = try Config.parse(
            "[sender]\nfrom = \"not an address\"\n", file: TestSupport.temporaryDirectory("composer") + "/o.conf",
            environment: [:])
        #expect(throws: (any Error).self) { try EmailComposer(config: bad) }
        let library = try TemplateLibrary(directory: TestSupport.fixtures + "/templates", defaultLocale: "en")
        let composer = TemplateComposer(library: library, config: bad, links: links)
        let message = Message(id: 9, template: "welcome", data: ["code": "1"])
        #expect(try composer.compose(claimed(message: message), for: FakeChannel(kind: .sms)).text.contains("1"))
        #expect(throws: (any Error).self) { try composer.compose(claimed(), for: FakeChannel(kind: .email)) }
    }

    /// Issue 18.2: `[sender]` values under the list's data under the message's; the list's title in
    /// the language of the variant rendered.
    @Test func dataIsLayeredAndTheListIsTitled() throws {
        var message = Message(id: 9, template: "welcome", data: ["about": "mine"], kind: .list, listName: "news")
        message.listDetails = ListDetails(
            title: "News", titleTranslations: ["da": "Nyheder"], data: ["about": "the list's", "website": "w"])
        let ctx = composer.context(claimed(message: message), locale: "da")
        #expect(ctx["organisation"]?.stringValue == "Example News", "from [sender] from's name")
        #expect(ctx["website"]?.stringValue == "w" && ctx["about"]?.stringValue == "mine")
        #expect(ctx["list"] == ["name": "news", "title": "Nyheder"])
        #expect(composer.context(claimed(message: message), locale: "en")["list"]?["title"]?.stringValue == "News")
        let given = composer.context(
            claimed(message: Message(id: 9, template: "welcome", data: ["list": ["name": "P"]])))
        #expect(given["list"] == ["name": "P", "title": "P"], "a list the data gives is titled by its name")
    }

    /// Issue 18.7: an event's date is written in the language of the template rendered: a Tigrinya
    /// reader without Tigrinya templates reads the English message with an English date; a Persian
    /// reader reads the Persian template with the Persian date, digits as the formatter writes them.
    @Test func anEventsDateFollowsTheTemplateRendered() throws {
        let library = try StarterTemplates.library()
        let composer = TemplateComposer(library: library, config: config, links: links)
        let schedule = try EventSchedule(start: "2031-03-06 18:00", timeZone: "Europe/Copenhagen", duration: "2h")
        let event = Event(
            name: "dinner", title: "Dinner club", list: "news", channels: [], schedule: schedule, location: nil,
            uid: "evt-1@example.org")
        let message = Message(
            id: 9, template: "event-invitation", data: event.messageData(role: .invitation, occurrence: nil),
            kind: .list, listName: "news")
        for (locale, when) in [
            ("ti", "Thursday 6 March 2031 at 18:00"), ("ur", "Thursday 6 March 2031 at 18:00"),
            ("fa", "پنجشنبه ۶ مارس ۲۰۳۱ ساعت ۱۸:۰۰"),
            ("da", "torsdag den 6. marts 2031 kl. 18.00"),
        ] {
            let c = claimed(
                contact: Contact(id: 5, name: "R", locale: locale, timeZone: "Europe/Copenhagen"), message: message,
                channel: "sms")
            let m = try composer.compose(c, for: FakeChannel(name: "sms", kind: .sms))
            #expect(m.text.contains(when), "\(locale): \(m.text)")
        }
    }
}
