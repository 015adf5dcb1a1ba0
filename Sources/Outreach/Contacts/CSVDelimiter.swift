/// The character between a CSV file's fields: `,` (RFC 4180), `;` (what Excel writes where the
/// decimal separator is a comma: Denmark, Germany, Italy…) or a tab (a copy from a spreadsheet).
public enum CSVDelimiter: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// `,` (RFC 4180).
    case comma = 0x2C
    /// `;` (Excel where the decimal separator is a comma).
    case semicolon = 0x3B
    /// A tab (a copy from a spreadsheet, `.tsv`).
    case tab = 0x09

    /// `,` `;` or `tab` (also `\t`, a tab character, `comma`, `semicolon`), as `--delimiter` takes it.
    /// - Returns: nil for anything else.
    public init?(argument: String) {
        switch argument.lowercased() {
        case ",", "comma": self = .comma
        case ";", "semicolon": self = .semicolon
        case "\t", "\\t", "tab": self = .tab
        default: return nil
        }
    }

    /// The character itself: `,` `;` or a tab.
    public var character: String { String(UnicodeScalar(rawValue)) }

    /// `';' (semicolon)`: how messages name it.
    public var description: String {
        switch self {
        case .comma: return "',' (comma)"
        case .semicolon: return "';' (semicolon)"
        case .tab: return "tab"
        }
    }

    /// The delimiter of a file, read from its first line only (the header): the candidate found
    /// there most often outside quotes; a comma when none is, or on a tie with a comma.
    /// - Parameter text: the whole file; only the bytes up to the first line break are read.
    public static func detect(_ text: String) -> CSVDelimiter {
        var counts = [0, 0, 0]  // comma, semicolon, tab
        var quoted = false
        for c in text.utf8 {
            if c == UInt8(ascii: "\"") {
                quoted.toggle()
            } else if !quoted {
                if c == UInt8(ascii: "\n") || c == UInt8(ascii: "\r") { break }
                switch c {
                case CSVDelimiter.comma.rawValue: counts[0] += 1
                case CSVDelimiter.semicolon.rawValue: counts[1] += 1
                case CSVDelimiter.tab.rawValue: counts[2] += 1
                default: break
                }
            }
        }
        if counts[1] > counts[0] && counts[1] >= counts[2] { return .semicolon }
        if counts[2] > counts[0] && counts[2] > counts[1] { return .tab }
        return .comma
    }
}
