import OutreachTestFixtures
import Testing

@testable import Outreach

/// Locale tags the byte-level canonical form must treat as the Unicode-aware one did: every
/// printable ASCII byte, real multi-subtag tags, and tags it must hand back (non-ASCII, controls).
@Suite struct LocalesEdgeTests {
    @Test func realTagsAndOddOnes() {
        let expected = [
            "sr-latn-rs": "sr-Latn-RS", "zh-hant-tw": "zh-Hant-TW", "EN_us": "en-US", "": "", "-": "-",
            "es-419": "es-419", "de-CH-1901": "de-CH-1901", "x-private": "x-private", "PT--br": "pt-BR",
        ]
        for (tag, canonical) in expected { #expect(Locales.canonical(tag) == canonical, "\(tag)") }
        let long = String(repeating: "ab-", count: 2_000)
        #expect(Locales.canonical(long) == Locales.unicodeCanonical(long))
        // Not ASCII, or not printable: the Unicode-aware path, unchanged.
        for tag in ["ﬀ-ǆ", "tr-İ", "de-ß", "pt-\r\nBR", "pt\u{7F}-br", "ab\tcd", "é-é", "sr-Лат"] {
            #expect(Locales.asciiCanonical(tag) == nil, "\(tag.debugDescription)")
            #expect(Locales.canonical(tag) == Locales.unicodeCanonical(tag), "\(tag.debugDescription)")
        }
    }

    @Test func everyPrintableASCIIByte() {
        var rng = SplitMix64(seed: 2121)
        let alphabet = (0x20...0x7E).map { Character(Unicode.Scalar(UInt8($0))) } + Array("--__--__")
        for _ in 0..<5_000 {
            let tag = String(
                (0..<Int.random(in: 0...14, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            #expect(Locales.asciiCanonical(tag) == Locales.unicodeCanonical(tag), "\(tag.debugDescription)")
        }
    }
}
