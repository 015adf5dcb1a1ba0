import Foundation

/// Byte-level mutations of a valid input: the edits that found the crashes of issue 14 (edge numbers,
/// control characters, truncation, deep nesting, long runs, broken UTF-8) plus the target's syntax.
/// Both layers fuzz with it: the end-to-end CLI and HTTP targets, the unit target's bounce parser.
public struct FuzzMutator: Sendable {
    /// The target's own syntax (`{{#`, `[[`, `","`, …), spliced in as often as the common tokens.
    public var dictionary: [String]
    /// How the target nests (`[` … `]`, `{{#a}}` … `{{/a}}`), for deep nesting.
    public var nesting: [(open: String, close: String)]

    public init(dictionary: [String], nesting: [(open: String, close: String)]) {
        self.dictionary = dictionary
        self.nesting = nesting
    }

    /// Numbers at the edges of Int, Double and their parsers; text that is hard to print or store.
    public static let common: [String] = [
        "1e400", "-1e400", "1e-400", "-0", "-0.0", "0e0", "1E+2", "9223372036854775807", "-9223372036854775808",
        "9223372036854775808", "18446744073709551616", "99999999999999999999999999", "2147483648", "-2147483649",
        "4294967296", "NaN", "nan", "Infinity", "-inf", "0x1F", "1_000", "+1", ".5", "5.", "00", "-", "1e", "0.1e-7",
        "\u{0}", "\u{1}", "\u{7}", "\u{8}", "\t", "\n", "\r", "\r\n", "\n\r", "\u{B}", "\u{C}", "\u{1B}[2J", "\u{7F}",
        "\u{85}", "\u{2028}", "\u{2029}", "\u{200B}", "\u{FEFF}", "\u{202E}", "\u{FFFD}", "\u{FFFF}", "\u{10FFFF}",
        "é", "e\u{301}\u{301}\u{301}", "👩‍👩‍👧‍👦", "🇩🇰", "日本語", "ﷺ", "İ", "ß", "Ǆ", "%00", "%", "%zz", "%C3%A9",
        "%0d%0a", "&", "=", "?", "#", "/", "../", "\\", "\\u0000", "\\ud800", "\\", "\"", "'", "`", "$", "{", "}", "[",
        "]", ",", ":", ";", "<", ">", "<script>", "true", "false", "null", " ", "", "x@y", "a@b.c", "+4521436677",
    ]

    /// Bytes that are not UTF-8: a lone continuation, an overlong NUL, a surrogate, a cut sequence.
    public static let invalidUTF8: [[UInt8]] = [
        [0x80], [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80],
    ]

    public func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var b = input
        let rounds = 1 + rng.below(rng.chance(20) ? 12 : 4)
        for _ in 0..<rounds { step(&b, &rng) }
        return b
    }

    public func mutate(_ input: String, _ rng: inout SplitMix64) -> [UInt8] { mutate(Array(input.utf8), &rng) }

    /// A token: the target's syntax or a common one.
    public func token(_ rng: inout SplitMix64) -> String {
        rng.chance(40) && !dictionary.isEmpty ? rng.pick(dictionary) : rng.pick(Self.common)
    }

    private func step(_ b: inout [UInt8], _ rng: inout SplitMix64) {
        let at = rng.below(b.count + 1)
        switch rng.below(14) {
        case 0 where !b.isEmpty:  // flip one bit
            let i = rng.below(b.count)
            b[i] ^= 1 << UInt8(rng.below(8))
        case 1 where !b.isEmpty:  // any byte
            b[rng.below(b.count)] = rng.byte()
        case 2:  // a few random bytes
            b.insert(contentsOf: (0..<(1 + rng.below(8))).map { _ in rng.byte() }, at: at)
        case 3 where !b.isEmpty:  // delete a range
            let n = min(b.count - min(at, b.count - 1), 1 + rng.below(16))
            b.removeSubrange(min(at, b.count - 1)..<(min(at, b.count - 1) + n))
        case 4 where !b.isEmpty:  // duplicate a range elsewhere
            let from = rng.below(b.count)
            let chunk = Array(b[from..<min(b.count, from + 1 + rng.below(64))])
            b.insert(contentsOf: chunk, at: rng.below(b.count + 1))
        case 5:  // truncate
            b.removeSubrange(at..<b.count)
        case 6, 7:  // splice in a token
            b.insert(contentsOf: Array(token(&rng).utf8), at: at)
        case 8 where !b.isEmpty:  // replace a range by a token
            let end = min(b.count, at + 1 + rng.below(8))
            b.replaceSubrange(min(at, b.count - 1)..<end, with: Array(token(&rng).utf8))
        case 9:  // a very long run of one token
            let t = Array((rng.chance(50) ? "a" : token(&rng)).utf8)
            let count = rng.chance(10) ? 10_000 + rng.below(60_000) : 100 + rng.below(3_000)
            var run: [UInt8] = []
            run.reserveCapacity(t.count * count)
            for _ in 0..<count { run += t }
            b.insert(contentsOf: run.prefix(200_000), at: at)
        case 10 where !nesting.isEmpty:  // deep nesting
            let (open, close) = rng.pick(nesting)
            let depth = rng.chance(30) ? 1_000 + rng.below(20_000) : 2 + rng.below(600)
            var inner: [UInt8] = []
            for _ in 0..<depth { inner += Array(open.utf8) }
            if rng.chance(70) { for _ in 0..<depth { inner += Array(close.utf8) } }
            b.insert(contentsOf: inner, at: at)
        case 11:  // broken UTF-8
            b.insert(contentsOf: rng.pick(Self.invalidUTF8), at: at)
        case 12 where !b.isEmpty:  // swap the case of a stretch (keys, booleans, headers)
            for i in min(at, b.count - 1)..<min(b.count, at + 1 + rng.below(12)) where b[i] >= 0x41 && b[i] <= 0x7A {
                b[i] ^= 0x20
            }
        default:  // a control character
            b.insert(UInt8(rng.below(32)), at: at)
        }
    }
}
