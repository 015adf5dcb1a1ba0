import Outreach
import OutreachTestFixtures
import Testing

@Suite struct SMSEncodingTests {
    @Test func danishIsGSM7() {
        let a = SMSText.analyze(
            "Hej Søren! Vi ses på Åbo-æblegården kl. 18 – nej, 18:30.".replacingOccurrences(of: "–", with: "-"))
        #expect(a.encoding == .gsm7)
        #expect(a.segments == 1)
        #expect(SMSText.analyze("æøåÆØÅ").units == 6)
    }

    @Test func emojiAndArabicAreUCS2() {
        let emoji = SMSText.analyze("Hej 🎉")
        #expect(emoji.encoding == .ucs2)
        #expect(emoji.units == 6)  // the emoji is a surrogate pair: 2 units
        #expect(emoji.nonGSMCharacters == ["🎉"])
        let arabic = SMSText.analyze("مرحبا بكم")
        #expect(arabic.encoding == .ucs2)
        #expect(arabic.units == 9)
        #expect(SMSText.analyze("Vi ses – Søren").encoding == .ucs2)  // the en dash is not GSM-7
    }

    @Test func gsmBoundaries() {
        #expect(SMSText.analyze(String(repeating: "a", count: 160)).segments == 1)
        #expect(SMSText.analyze(String(repeating: "a", count: 161)).segments == 2)
        #expect(SMSText.analyze(String(repeating: "a", count: 306)).segments == 2)
        #expect(SMSText.analyze(String(repeating: "a", count: 307)).segments == 3)
    }

    @Test func extensionCharactersCountDouble() {
        let euro = SMSText.analyze("€[]{}")
        #expect(euro.encoding == .gsm7)
        #expect(euro.units == 10)
        #expect(SMSText.analyze(String(repeating: "a", count: 158) + "€").segments == 1)
        #expect(SMSText.analyze(String(repeating: "a", count: 159) + "€").segments == 2)
        // 152 septets then an escape pair: the pair may not straddle parts, so it opens the second part.
        let straddle = SMSText.analyze(String(repeating: "a", count: 152) + "€" + String(repeating: "a", count: 152))
        #expect(straddle.units == 306)
        #expect(straddle.segments == 3)
    }

    @Test func ucs2Boundaries() {
        #expect(SMSText.analyze(String(repeating: "ب", count: 70)).segments == 1)
        #expect(SMSText.analyze(String(repeating: "ب", count: 71)).segments == 2)
        #expect(SMSText.analyze(String(repeating: "ب", count: 134)).segments == 2)
        #expect(SMSText.analyze(String(repeating: "ب", count: 135)).segments == 3)
        #expect(SMSText.analyze(String(repeating: "🎉", count: 35)).segments == 1)
        #expect(SMSText.analyze(String(repeating: "🎉", count: 36)).segments == 2)
        // 66 units then a surrogate pair: the pair moves whole to the next part.
        #expect(
            SMSText.analyze(String(repeating: "ب", count: 66) + "🎉" + String(repeating: "ب", count: 66)).segments == 3)
    }

    @Test func maxSegmentsCheck() throws {
        #expect(try SMSText.check(String(repeating: "a", count: 306), maxSegments: 2).segments == 2)
        do {
            try SMSText.check(String(repeating: "a", count: 300) + "🎉", maxSegments: 2)
            Issue.record("accepted 5 segments")
        } catch {
            #expect(error.description.contains("5 segments"))
            #expect(error.description.contains("🎉"))
            #expect(error.description.contains("max_segments = 2"))
        }
    }
}

@Suite struct SMSChannelConfigCheckTests {
    @Test func maxSegmentsFromTheChannelSection() throws {
        let section = ChannelSections.make("sms", ["type": "sms", "max_segments": 2])
        #expect(try SMSText.check(String(repeating: "a", count: 306), channel: section).segments == 2)
        #expect(throws: SMSCheckError.self) { try SMSText.check(String(repeating: "a", count: 307), channel: section) }
        let unlimited = ChannelSections.make("sms", ["type": "sms"])
        #expect(try SMSText.check(String(repeating: "a", count: 1000), channel: unlimited).segments == 7)
        let broken = ChannelSections.make("sms", ["type": "sms", "max_segments": 0])
        #expect(throws: SMSCheckError.self) { try SMSText.check("x", channel: broken) }
    }
}
