extension String {
    /// One line of text without control characters, for names and titles wherever they enter:
    /// line breaks (CR, LF, CRLF, VT, FF, NEL, U+2028, U+2029) and tabs become a space, other
    /// control characters (C0, DEL, C1, such as ESC) are removed, and the ends are trimmed.
    /// Works on scalars: CRLF is a single Character and escaped a `Character` comparison.
    public var singleLine: String {
        // Most text has none: a byte scan avoids building a new string. C1 is C2 80…C2 9F in
        // UTF-8, U+2028/2029 are E2 80 A8/A9.
        var clean = true
        var previous: UInt8 = 0, second: UInt8 = 0
        for b in utf8 {
            if b < 0x20 || b == 0x7F || (previous == 0xC2 && b < 0xA0 && b >= 0x80)
                || (second == 0xE2 && previous == 0x80 && (b == 0xA8 || b == 0xA9))
            {
                clean = false
                break
            }
            second = previous
            previous = b
        }
        if clean { return trimmingSpaces }
        var out = String.UnicodeScalarView()
        for s in unicodeScalars {
            switch s.value {
            case 0x09...0x0D, 0x85, 0x2028, 0x2029:
                // A CRLF, or a break beside a space, is one space.
                if out.last != " " { out.append(" ") }
            case 0x00...0x1F, 0x7F...0x9F:
                continue
            default:
                out.append(s)
            }
        }
        return String(out).trimmingSpaces
    }

    /// For a terminal: control characters shown as escapes (`\e`, `\t`, `\n`, `\r`, else
    /// `\u{XX}`), as are line separators and bidirectional overrides, so stored text can neither
    /// drive the terminal nor forge a row or column of tab-separated output.
    public var escapingControlCharacters: String {
        guard unicodeScalars.contains(where: Self.needsEscape) else { return self }
        var out = ""
        for s in unicodeScalars {
            guard Self.needsEscape(s) else {
                out.unicodeScalars.append(s)
                continue
            }
            switch s.value {
            case 0x1B: out += "\\e"
            case 0x09: out += "\\t"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            default: out += "\\u{" + String(s.value, radix: 16, uppercase: true) + "}"
            }
        }
        return out
    }

    static func needsEscape(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x00...0x1F, 0x7F...0x9F, 0x2028, 0x2029, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true
        default: return false
        }
    }
}
