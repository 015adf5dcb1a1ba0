import Foundation
import OutreachTestFixtures
import Testing

@testable import Outreach

/// Issue 19.5: per-language values in template data, resolved in the language of the variant rendered.
@Suite("Per-language data")
struct LocalizedDataTests {
    func resolved(_ data: JSON, _ locale: String?, defaultLocale: String = "en") -> (JSON, [LocalizedData.Missing]) {
        let r = LocalizedData.resolved(data.objectValue!, locale: locale, defaultLocale: defaultLocale)
        return (.object(r.data), r.missing)
    }

    @Test("a value is looked up pt-BR, then pt, then the default language")
    func fallbackChain() {
        let data: JSON = ["title": ["en": "News", "pt": "Notícias", "pt-BR": "Novidades", "da": "Nyheder"]]
        #expect(resolved(data, "pt-BR").0["title"] == "Novidades")
        #expect(resolved(data, "pt-PT").0["title"] == "Notícias")
        #expect(resolved(data, "da").0["title"] == "Nyheder")
        #expect(resolved(data, "de").0["title"] == "News")
        #expect(resolved(data, nil).0["title"] == "News")
        #expect(resolved(data, "de").1.isEmpty)
        // The default language is the library's, not English.
        let danish: JSON = ["title": ["da": "Nyheder", "sv": "Nyheter"]]
        #expect(resolved(danish, "de", defaultLocale: "da").0["title"] == "Nyheder")
    }

    @Test("keys written pt-br or pt_BR are the same language")
    func spellings() {
        let data: JSON = ["title": ["en": "News", "pt_br": "Novidades"]]
        #expect(resolved(data, "pt-BR").0["title"] == "Novidades")
    }

    @Test("values at any depth, in arrays too, and a chosen value that is itself an object")
    func nested() {
        let data: JSON = [
            "items": [["name": ["en": "Dinner", "da": "Middag"], "price": 10], "plain"],
            "intro": ["en": ["text": "Hello"], "da": ["text": ["da": "Hej", "en": "Hi"]]],
        ]
        let (da, missing) = resolved(data, "da")
        #expect(missing.isEmpty)
        #expect(da["items"] == [["name": "Middag", "price": 10], "plain"])
        #expect(da["intro"] == ["text": "Hej"])
    }

    @Test("ordinary objects stay objects")
    func ordinaryObjects() {
        let data: JSON = [
            "order": ["id": 17],  // id is Indonesian, but alone and not the default language
            "links": ["cc": "x", "to": "y"],  // cc is no language
            "event": ["title": "Dinner", "en": "x"],  // title is no language
            "empty": [:],
        ]
        let (out, missing) = resolved(data, "da")
        #expect(out == data)
        #expect(missing.isEmpty)
        #expect(!LocalizedData.isLocalized(["EN": "x", "DA": "y"], defaultLocale: "en"))
        #expect(LocalizedData.isLocalized(["en": "x"], defaultLocale: "en"))
        #expect(!LocalizedData.isLocalized(["da": "x"], defaultLocale: "en"))
        #expect(LocalizedData.isLocalized(["da": "x", "sv": "y"], defaultLocale: "en"))
    }

    @Test("no value for the language nor the default: named, and the first language's is used at send time")
    func missing() {
        let data: JSON = ["news": ["title": ["sv": "Nyheter", "da": "Nyheder"]]]
        let (out, missing) = resolved(data, "de")
        #expect(out["news"]?["title"] == "Nyheder")
        #expect(missing.map(\.key) == ["news.title"])
        #expect(
            missing.first?.description
                == "The data value 'news.title' has no de or en (the default language) text, only da, sv; "
                + "add an \"en\" value, which every language without its own falls back to.")
        #expect(resolved(data, "sv").1.isEmpty)
    }

    @Test("the template check renders each language with its values and refuses a missing one")
    func templateCheck() throws {
        let library = try TemplateTestSupport.library([
            "news/email.en.txt": "---\nsubject: {{title}}\n---\n{{intro}}\n",
            "news/email.da.txt": "---\nsubject: {{title}}\n---\n{{intro}}\n",
        ])
        let check = TemplateCheck(library: library, channelSettings: [:])
        let channel = FakeChannel(kind: .email)
        let data: JSON = ["title": ["en": "News", "da": "Nyheder"], "intro": ["en": "Hello", "da": "Hej"]]
        #expect(try check.check(template: "news", channel: channel, locale: "da", data: data).subject == "Nyheder")
        // Arabic has no variant: the English one is rendered, with the English values.
        let ar = try check.check(template: "news", channel: channel, locale: "ar", data: data)
        #expect(ar.subject == "News" && ar.text == "Hello\n")
        let noEnglish: JSON = ["title": ["da": "Nyheder", "sv": "Nyheter"]]
        #expect(throws: LocalizedData.Missing.self) {
            try check.check(template: "news", channel: channel, locale: "ar", data: noEnglish)
        }
    }

    @Test("the composer writes the values in the language of the variant rendered")
    func composer() throws {
        let library = try TemplateTestSupport.library([
            "news/email.en.txt": "---\nsubject: {{title}}\n---\n{{intro}}\n",
            "news/email.da.txt": "---\nsubject: {{title}}\n---\n{{intro}}\n",
        ])
        let config = try Config.parse(
            "[sender]\nfrom = \"News <news@example.org>\"\n",
            file: TestSupport.temporaryDirectory("l10n") + "/outreachd.conf", environment: [:])
        let composer = TemplateComposer(
            library: library, config: config,
            links: LinkSigner(key: Array(repeating: 7, count: 32), baseURL: "https://x"))
        let message = Message(
            id: 1, template: "news", data: ["title": ["en": "News", "da": "Nyheder"]], kind: .list)
        func subject(_ locale: String) throws -> String? {
            let c = ClaimedDelivery(
                delivery: Delivery(
                    id: 1, messageID: 1, channel: "email", address: "a@example.org", locale: locale, state: .sending,
                    attempts: 1, createdAt: 0, updatedAt: 0),
                message: message, contact: nil)
            return try composer.compose(c, for: FakeChannel(kind: .email)).subject
        }
        #expect(try subject("da") == "Nyheder")
        #expect(try subject("ar") == "News")
    }
}
