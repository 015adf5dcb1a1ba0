import Testing

@testable import Outreach

/// Titles per language (issue 18.8): `--title` parsing, the fallback a message's language takes,
/// and changes that set or remove one language.
@Suite struct LocalizedTitleTests {
    @Test func aMessageReadsTheTitleOfItsLanguageElseTheOneForEvery() {
        let t = LocalizedTitle("Dinner club", translations: ["da": "Fællesspisning", "pt_br": "Jantar", "ar": "عشاء"])
        #expect(t.translations.keys.sorted() == ["ar", "da", "pt-BR"], "tags are canonical")
        #expect(t.text(for: "da") == "Fællesspisning")
        #expect(t.text(for: "da-DK") == "Fællesspisning", "the language of a regional tag")
        #expect(t.text(for: "pt-BR") == "Jantar" && t.text(for: "pt") == "Dinner club")
        #expect(t.text(for: "sv") == "Dinner club" && t.text(for: nil) == "Dinner club")
    }

    @Test func titleValuesAreOneForEveryLanguageAndOnePerLanguage() throws {
        let c = try LocalizedTitle.Changes(parsing: ["Dinner club", "da=Fællesspisning", "pt_BR=Jantar"])
        #expect(c.text == "Dinner club")
        #expect(c.translations.map(\.tag) == ["da", "pt-BR"])
        #expect(try LocalizedTitle.Changes(parsing: ["Q&A=night"]).text == "Q&A=night", "not a language tag")
        #expect(try LocalizedTitle.Changes(parsing: ["2+2=4"]).text == "2+2=4")
        #expect(throws: TitleError.self) { try LocalizedTitle.Changes(parsing: ["One", "Two"]) }
        #expect(throws: TitleError.self) { try LocalizedTitle.Changes(parsing: ["da=A", "da=B"]) }
        #expect(throws: TitleError.self) { try LocalizedTitle.Changes(parsing: [" "]) }
        let applied = LocalizedTitle("Dinner", translations: ["da": "Middag", "sv": "Middag"])
            .applying(try LocalizedTitle.Changes(parsing: ["da=", "ar=عشاء", "Dinner club"]))
        #expect(applied == LocalizedTitle("Dinner club", translations: ["sv": "Middag", "ar": "عشاء"]))
    }

    @Test func aListWithoutATitleShowsItsName() {
        #expect(ListDetails().titles(name: "dinner-club").text(for: "da") == "dinner-club")
        let d = ListDetails(title: "Dinner club news", titleTranslations: ["da": "Fællesspisning-nyt"])
        #expect(d.titles(name: "club").text(for: "da") == "Fællesspisning-nyt")
        let changed = ListDetails().applying(.init(translations: [("da", "Nyt")]))
        #expect(changed.title == nil && changed.titles(name: "club").text(for: "en") == "club")
    }
}
