import OutreachTestFixtures
import Testing

@testable import Outreach

/// Every starter template in every shipped language: reads well with and without a name, a list
/// and a place, keeps SMS short, and writes Arabic and Persian right to left.
@Suite("Starter templates in every language")
struct StarterTemplateLocaleTests {
    static let names = StarterTemplates.names
    static let rightToLeft: Set<String> = ["ar", "fa"]

    /// Every rendered part (subject, text, HTML) of every kind of `name` in every locale.
    static func parts(_ name: String, context: JSON) throws -> [(String, String)] {
        let lib = try StarterTemplates.library()
        var out: [(String, String)] = []
        for l in StarterTemplates.locales {
            for k in [ChannelKind.email, .sms, .chat] {
                let r = try lib.render(name, kind: k, locale: l, context: context)
                #expect(r.locale == l, "\(name) \(k) \(l)")
                let label = "\(name) \(k) \(l)"
                out.append(("\(label) text", r.text))
                if let s = r.subject { out.append(("\(label) subject", s)) }
                if let h = r.html { out.append(("\(label) html", h)) }
            }
        }
        return out
    }

    /// What a value left out must not leave behind: a space before punctuation, two spaces, an
    /// empty pair of brackets, a space at the end of a line.
    static let strays = [" ,", " .", " !", " :", " ،", "  ", "()", "( ", " )", "«»", " \n"]

    @Test(
        "every part renders in every language, with the full data and without name, list or place",
        arguments: names)
    func rendersEverywhere(_ name: String) throws {
        for context in [StarterTemplates.context, Self.sparse(name)] {
            for (label, text) in try Self.parts(name, context: context) {
                #expect(!text.isEmpty, "\(label)")
                #expect(!text.contains("{{") && !text.contains("}}"), "\(label)")
                let body = label.hasSuffix("html") ? Self.withoutIndentation(text) : text
                for s in Self.strays { #expect(!body.contains(s), "\(label) has \(String(reflecting: s))") }
                #expect(!text.hasSuffix(" "), "\(label)")
            }
        }
    }

    /// The HTML part indents its lines: only what follows the indentation counts.
    static func withoutIndentation(_ html: String) -> String {
        html.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String($0.drop { $0 == " " }) }.joined(separator: "\n")
    }

    @Test("the welcome without a list names the organisation, and without a name greets without one")
    func sparseWelcome() throws {
        let lib = try StarterTemplates.library()
        let expected = [
            "en": "Welcome to Sprogcenter Aarhus!", "de": "Willkommen bei Sprogcenter Aarhus!",
            "it": "Le diamo il benvenuto in Sprogcenter Aarhus!", "el": "Καλώς ήρθατε στο Sprogcenter Aarhus!",
            "ar": "مرحبًا بكم في Sprogcenter Aarhus!", "fa": "به Sprogcenter Aarhus خوش آمدید!",
        ]
        for (l, text) in expected {
            let chat = try lib.render("welcome", kind: .chat, locale: l, context: StarterTemplates.sparseContext)
            #expect(chat.text == "👋 " + text + "\n", "\(l)")
        }
        let de = try lib.render("welcome", kind: .email, locale: "de", context: StarterTemplates.sparseContext)
        #expect(de.text.hasPrefix("Guten Tag,\n\nwillkommen bei Sprogcenter Aarhus!"))
        let fa = try lib.render("welcome", kind: .email, locale: "fa", context: StarterTemplates.context)
        #expect(fa.text.hasPrefix("سلام Ana گرامی،\n"))
    }

    @Test(
        "SMS in Latin-script languages stay GSM-7; Greek, Arabic and Persian fit two UCS-2 segments",
        arguments: names)
    func smsEncoding(_ name: String) throws {
        let lib = try StarterTemplates.library()
        for l in StarterTemplates.locales {
            let r = try lib.render(name, kind: .sms, locale: l, context: StarterTemplates.context)
            let sms = SMSText.analyze(r.text)
            if ["el", "ar", "fa"].contains(l) {
                #expect(sms.encoding == .ucs2 && sms.segments <= 2, "\(name) \(l): \(sms.units) units")
            } else {
                #expect(sms.encoding == .gsm7, "\(name) \(l): \(sms.nonGSMCharacters) force UCS-2")
                #expect(sms.segments <= 2, "\(name) \(l): \(sms.segments) segments")
            }
        }
    }

    @Test(
        "Arabic and Persian HTML is right to left on the page, the body and the card; the rest left to right",
        arguments: names)
    func direction(_ name: String) throws {
        let lib = try StarterTemplates.library()
        for l in StarterTemplates.locales {
            let html = try #require(
                try lib.render(name, kind: .email, locale: l, context: StarterTemplates.context).html)
            let rtl = Self.rightToLeft.contains(l)
            let dir = rtl ? "rtl" : "ltr"
            #expect(html.contains("<html lang=\"\(l)\" dir=\"\(dir)\">"), "\(name) \(l)")
            #expect(html.contains("<body lang=\"\(l)\" dir=\"\(dir)\""), "\(name) \(l)")
            #expect(html.components(separatedBy: "dir=\"\(dir)\"").count >= 4, "\(name) \(l): page, body, card")
            let wrong = rtl ? "left" : "right"
            for s in ["text-align:\(wrong)", "border-\(wrong)", "padding-\(wrong)"] {
                #expect(!html.contains(s), "\(name) \(l) has \(s)")
            }
            #expect(html.contains("text-align:\(rtl ? "right" : "left")"), "\(name) \(l)")
            if rtl {
                // Arabic letters joined by letter-spacing fall apart; Arabic has no italics.
                #expect(!html.contains("letter-spacing") && !html.contains("italic"), "\(name) \(l)")
            }
        }
    }

    /// A plain-text line's direction is its first strong letter's (Unicode's bidi rule P2): a line
    /// of Arabic or Persian text that starts with a Latin value would be laid out left to right.
    @Test("every Arabic and Persian text line starts with a right-to-left letter", arguments: names)
    func rightToLeftLines(_ name: String) throws {
        let lib = try StarterTemplates.library()
        for l in Self.rightToLeft {
            for context in [StarterTemplates.context, Self.sparse(name)] {
                for k in [ChannelKind.email, .sms, .chat] {
                    let r = try lib.render(name, kind: k, locale: l, context: context)
                    for line in (r.text + "\n" + (r.subject ?? "")).split(separator: "\n") {
                        let letters = line.unicodeScalars.filter { $0.properties.isAlphabetic }
                        guard letters.contains(where: Self.isRightToLeft) else { continue }
                        #expect(Self.isRightToLeft(letters.first!), "\(name) \(k) \(l): \(line)")
                    }
                }
            }
        }
    }

    /// The sparse data, with the list for the confirmation (which always asks about a list).
    static func sparse(_ name: String) -> JSON {
        var o = StarterTemplates.sparseContext.objectValue!
        if name == "confirm" { o["list"] = StarterTemplates.context["list"] }
        return .object(o)
    }

    static func isRightToLeft(_ s: Unicode.Scalar) -> Bool {
        (0x0590...0x08FF).contains(s.value) || (0xFB1D...0xFDFF).contains(s.value)
            || (0xFE70...0xFEFF).contains(s.value)
    }

    @Test("Persian templates spell with Persian yeh and keheh, not the Arabic letters")
    func persianLetters() throws {
        for name in Self.names {
            for (label, text) in try Self.parts(name, context: StarterTemplates.sparseContext)
            where label.contains(" fa ") {
                #expect(!text.contains("ي") && !text.contains("ك"), "\(label)")
            }
        }
    }
}
