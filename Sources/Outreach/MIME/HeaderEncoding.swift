import Foundation

/// RFC 2047 encoded words and RFC 5322 folding for header values.
enum HeaderEncoding {
    static func isPlainASCII(_ s: String) -> Bool {
        s.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F }
    }

    /// An unstructured value (Subject): ASCII as is, folded at spaces; anything else as UTF-8 "B"
    /// encoded words of at most 75 characters, never splitting a code point between two words.
    /// ASCII with a word too long to fold (over `longestFoldableWord` bytes) is encoded too, as
    /// encoded words split across folded lines: no header line may exceed 998 bytes (RFC 5322).
    static func unstructured(_ value: String, nameLength: Int) -> String {
        if isPlainASCII(value), foldable(value) { return fold(value, first: nameLength + 2) }
        return encodedWords(value, first: nameLength + 2)
    }

    /// A word that still fits on a line of its own after a header name: 998 bytes less room for
    /// the longest name we write.
    static let longestFoldableWord = 900

    static func foldable(_ value: String) -> Bool {
        var run = 0
        for b in value.utf8 {
            run = b == 0x20 ? 0 : run + 1
            if run > longestFoldableWord { return false }
        }
        return true
    }

    /// Encoded words separated by folding white space.
    static func encodedWords(_ value: String, first: Int) -> String {
        // 45 bytes → 60 base64 characters; with "=?UTF-8?B?" and "?=" a word is 72 characters.
        var words: [String] = []
        var chunk: [UInt8] = []
        func add<Bytes: Collection<UInt8>>(_ bytes: Bytes) {
            if chunk.count + bytes.count > 45, !chunk.isEmpty {
                words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=")
                chunk.removeAll(keepingCapacity: true)
            }
            chunk.append(contentsOf: bytes)
        }
        for ch in value {
            // A grapheme longer than a word (a letter under dozens of combining marks) is split
            // between its code points: RFC 2047's characters are the charset's, and one word of
            // it would pass 75 characters, or a header line 998 bytes.
            if ch.utf8.count <= 45 {
                add(ch.utf8)
            } else {
                for scalar in ch.unicodeScalars { add(scalar.utf8) }
            }
        }
        if !chunk.isEmpty { words.append("=?UTF-8?B?" + Data(chunk).base64EncodedString() + "?=") }
        return words.joined(separator: "\r\n ")
    }

    /// Folds an ASCII value at spaces so lines stay within 78 characters where possible.
    static func fold(_ value: String, first: Int) -> String {
        guard value.utf8.count + first > 78 else { return value }
        var out = ""
        var lineLength = first
        for (i, word) in value.split(separator: " ", omittingEmptySubsequences: false).enumerated() {
            if i > 0 {
                if lineLength + 1 + word.utf8.count > 78 {
                    out += "\r\n "
                    lineLength = 1
                } else {
                    out += " "
                    lineLength += 1
                }
            }
            out += word
            lineLength += word.utf8.count
        }
        return out
    }

    /// `Name <address>` with the name quoted or encoded as needed; a long ASCII name is folded
    /// at its spaces (folding white space is allowed between words and inside quotes), one with
    /// a word too long to fold is encoded like a non-ASCII one.
    static func mailbox(_ a: MailAddress) -> String {
        guard let name = a.name, !name.isEmpty else { return a.address }
        if !isPlainASCII(name) || !foldable(name) { return encodedWords(name, first: 0) + " <" + a.address + ">" }
        // The name is printable ASCII here, so letters and digits are A–Z, a–z and 0–9: its bytes
        // are checked instead of its Characters' Unicode properties.
        let atext = name.utf8.allSatisfy { b in
            (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) || b == 0x20
                || atextSpecials.contains(b)
        }
        let phrase =
            atext
            ? name
            : "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                + "\""
        return fold(phrase, first: 10) + " <" + a.address + ">"
    }

    static let atextSpecials = Set("!#$%&'*+-/=?^_`{|}~".utf8)

    /// RFC 2231 `name*=UTF-8''percent-encoded` for non-ASCII parameter values; quoted otherwise.
    static func parameter(_ name: String, _ value: String) -> String {
        if isPlainASCII(value), !value.contains("\""), !value.contains("\\") { return "\(name)=\"\(value)\"" }
        var enc = "UTF-8''"
        for b in value.utf8 {
            let c = Character(Unicode.Scalar(b))
            if b < 0x80, c.isLetter || c.isNumber || "-._~".contains(c) {
                enc.append(c)
            } else {
                enc += String(format: "%%%02X", b)
            }
        }
        return "\(name)*=\(enc)"
    }
}
