import Foundation
import Testing

@testable import Outreach

/// Encoded words hold whole code points and stay within 75 characters, even for one grapheme
/// longer than a word (a letter under many combining marks, long emoji sequences): such a subject
/// was one encoded word of any length, and past ~740 bytes the message could not be built at all.
@Suite struct HeaderEncodingLongGraphemeTests {
    static func decoded(_ header: String) -> [UInt8] {
        header.components(separatedBy: "\r\n ").flatMap { word -> [UInt8] in
            guard word.hasPrefix("=?UTF-8?B?"), word.hasSuffix("?="),
                let d = Data(base64Encoded: String(word.dropFirst(10).dropLast(2)))
            else { return Array(word.utf8) }
            // Each word decodes on its own to whole code points.
            #expect(String(data: d, encoding: .utf8) != nil, "\(word)")
            return Array(d)
        }
    }

    @Test func longGraphemesAreSplitBetweenCodePoints() throws {
        let family = "👨‍👩‍👧‍👦"  // 25 bytes: fits a word whole
        for text in [
            "Hej e" + String(repeating: "\u{301}", count: 30), "e" + String(repeating: "\u{301}\u{316}", count: 300),
            String(repeating: family, count: 5) + "ø", "a" + String(repeating: "\u{200D}🙂", count: 40),
        ] {
            let header = HeaderEncoding.unstructured(text, nameLength: 7)
            let words = header.components(separatedBy: "\r\n ")
            #expect(words.allSatisfy { $0.utf8.count <= 75 }, "\(words.map(\.utf8.count))")
            #expect(Self.decoded(header) == Array(text.utf8))
        }
        // A family emoji stays in one word: only graphemes longer than a word are split.
        let header = HeaderEncoding.unstructured(String(repeating: family, count: 3), nameLength: 7)
        for word in header.components(separatedBy: "\r\n ") {
            #expect(String(decoding: Self.decoded(word), as: UTF8.self).allSatisfy { $0 == Character(family) })
        }
    }

    @Test func aSubjectOfOneHugeGraphemeIsBuilt() throws {
        let m = MailMessage(
            from: MailAddress(address: "a@example.org"), to: [MailAddress(address: "b@example.org")],
            subject: "Hej e" + String(repeating: "\u{301}", count: 400), text: "x", html: nil, messageID: "m@x")
        let text = String(decoding: try MIMEBuilder.build(m), as: UTF8.self)
        #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 998 })
    }
}
