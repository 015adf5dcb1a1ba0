import Testing

@testable import Outreach

/// The byte-level canonical form of ASCII tags against the Unicode-aware one it short-cuts.
@Suite struct LocalesCanonicalTests {
    @Test func asciiTagsCanonicaliseAsBefore() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("aZpTbR-_-_09x")
        var tags = [
            "pt-BR", "pt_br", "PT-br", "zh-hant", "ZH_HANT_tw", "-", "--", "_x", "x_", "en--GB", "sr-latn-rs", "",
        ]
        for _ in 0..<2000 {
            tags.append(
                String((0..<Int.random(in: 0...12, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }))
        }
        for tag in tags {
            #expect(Locales.canonical(tag) == Locales.unicodeCanonical(tag) || Locales.isSimpleLanguage(tag), "\(tag)")
            #expect(Locales.asciiCanonical(tag) == Locales.unicodeCanonical(tag), "\(tag)")
        }
        #expect(Locales.asciiCanonical("pt-\r\nbr") == nil)
        #expect(Locales.asciiCanonical("pt-BRø") == nil)
    }
}
