import Foundation

/// RFC 5545 content-line helpers: text escaping, parameter quoting, folding, UTC stamps.
public enum ICSText {
    /// TEXT value escaping (§3.3.11): backslash, semicolon, comma, and line breaks as `\n`.
    public static func escape(_ text: String) -> String {
        var out = ""
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        for scalar in normalized.unicodeScalars {
            switch scalar {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n": out += "\\n"
            case "\t": out += " "
            default:
                // Other control characters are not allowed in content lines.
                if scalar.value < 0x20 || scalar.value == 0x7F { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// A parameter value (§3.2): quoted when it holds `:` `;` or `,`; DQUOTE and controls cannot appear, so they go.
    public static func parameter(_ value: String) -> String {
        let clean = String(
            String.UnicodeScalarView(value.unicodeScalars.filter { $0 != "\"" && $0.value >= 0x20 && $0.value != 0x7F })
        )
        return clean.contains(where: { ":;,".contains($0) }) ? "\"\(clean)\"" : clean
    }

    /// A `mailto:` URI for an address; controls, spaces and DQUOTE cannot appear in a CAL-ADDRESS, so they go.
    public static func mailto(_ address: String) -> String {
        "mailto:"
            + String(
                String.UnicodeScalarView(
                    address.unicodeScalars.filter { $0.value > 0x20 && $0.value != 0x7F && $0 != "\"" }))
    }

    /// Folds one content line (§3.1): at most 75 octets per line, continuation lines start with a
    /// space, and a UTF-8 sequence is never split. Every line ends in CRLF.
    public static func fold(_ line: String) -> String {
        var out = ""
        var current = 0
        var limit = 75
        for scalar in line.unicodeScalars {
            let size = String(scalar).utf8.count
            if current + size > limit {
                out += "\r\n "
                current = 1
                limit = 75
            }
            out.unicodeScalars.append(scalar)
            current += size
        }
        return out + "\r\n"
    }

    /// UTC DATE-TIME form: "20261015T160000Z".
    public static func utc(_ date: Date) -> String {
        LocalDateTime(wallSeconds: Int(date.timeIntervalSince1970.rounded(.down))).icalendar + "Z"
    }
}
