import Foundation

/// Reading what MIME encodes: transfer encodings (RFC 2045), charsets, encoded words (RFC 2047).
/// Lenient on purpose: a bounce is often malformed, and a damaged part should still give its text.
enum BodyDecoding {
    /// The body as its `Content-Transfer-Encoding` says (7bit, 8bit and binary as they are).
    static func decode(_ body: [UInt8], transferEncoding: String?) -> [UInt8] {
        switch transferEncoding?.trimmingSpaces.lowercased() {
        case "base64": return base64(body)
        case "quoted-printable": return quotedPrintable(body)
        default: return body
        }
    }

    /// Base64 ignoring anything outside the alphabet, up to the first `=`.
    static func base64(_ input: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for b in input {
            let v: UInt32
            switch b {
            case 0x41...0x5A: v = UInt32(b - 0x41)
            case 0x61...0x7A: v = UInt32(b - 0x61 + 26)
            case 0x30...0x39: v = UInt32(b - 0x30 + 52)
            case 0x2B: v = 62
            case 0x2F: v = 63
            case 0x3D: return out
            default: continue
            }
            buffer = buffer << 6 | v
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return out
    }

    /// Quoted-printable: `=XX` escapes and `=` soft line breaks; a stray `=` stays as it is.
    static func quotedPrintable(_ input: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var i = 0
        let n = input.count
        while i < n {
            let b = input[i]
            guard b == 0x3D else {
                out.append(b)
                i += 1
                continue
            }
            if i + 1 < n, input[i + 1] == 0x0A {
                i += 2
                continue
            }
            if i + 2 < n, input[i + 1] == 0x0D, input[i + 2] == 0x0A {
                i += 3
                continue
            }
            if i + 2 < n, let h = hexValue(input[i + 1]), let l = hexValue(input[i + 2]) {
                out.append(h << 4 | l)
                i += 3
                continue
            }
            // White space between the `=` of a soft break and the line end (added by some relays).
            var j = i + 1
            while j < n, input[j] == 0x20 || input[j] == 0x09 { j += 1 }
            if j > i + 1, j < n, input[j] == 0x0A || input[j] == 0x0D {
                i = j + (input[j] == 0x0D && j + 1 < n && input[j + 1] == 0x0A ? 2 : 1)
                continue
            }
            out.append(b)
            i += 1
        }
        return out
    }

    static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: return b - 0x30
        case 0x41...0x46: return b - 0x41 + 10
        case 0x61...0x66: return b - 0x61 + 10
        default: return nil
        }
    }

    /// Text in a charset: UTF-8 (the default, and for anything unknown: invalid bytes become
    /// U+FFFD), or the single-byte Latin charsets, read byte for byte as Latin-1.
    static func text(_ bytes: [UInt8], charset: String?) -> String {
        switch charset?.lowercased() {
        case "iso-8859-1", "latin1", "iso-8859-15", "windows-1252", "cp1252", "us-ascii", "ascii":
            if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
            var s = String.UnicodeScalarView()
            for b in bytes { s.append(Unicode.Scalar(b)) }
            return String(s)
        default:
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    /// An unstructured header value with RFC 2047 encoded words (`=?UTF-8?B?…?=`) decoded; white
    /// space between two encoded words is dropped, as the RFC says.
    static func headerText(_ value: String) -> String {
        guard value.contains("=?") else { return value }
        var out = ""
        var rest = Substring(value)
        var pendingSpace = ""
        var lastWasEncoded = false
        while !rest.isEmpty {
            if let word = encodedWord(at: rest) {
                if !lastWasEncoded { out += pendingSpace }
                out += word.text
                pendingSpace = ""
                lastWasEncoded = true
                rest = rest[word.end...]
                continue
            }
            let c = rest.removeFirst()
            if c == " " || c == "\t" {
                pendingSpace.append(c)
            } else {
                out += pendingSpace
                pendingSpace = ""
                out.append(c)
                lastWasEncoded = false
            }
        }
        return out + pendingSpace
    }

    /// `=?charset?B|Q?text?=` at the start of `s`.
    static func encodedWord(at s: Substring) -> (text: String, end: Substring.Index)? {
        guard s.hasPrefix("=?") else { return nil }
        let parts = s.dropFirst(2).split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, parts[3].hasPrefix("="), parts[1].count == 1, !parts[0].isEmpty,
            !parts[2].contains(" ")
        else { return nil }
        let charset = parts[0].split(separator: "*").first.map(String.init)  // RFC 2231 language suffix
        let payload = Array(parts[2].utf8)
        let bytes: [UInt8]
        switch parts[1] {
        case "B", "b": bytes = base64(payload)
        case "Q", "q": bytes = quotedPrintable(payload.map { $0 == 0x5F ? 0x20 : $0 })
        default: return nil
        }
        return (text(bytes, charset: charset), parts[3].index(after: parts[3].startIndex))
    }
}
