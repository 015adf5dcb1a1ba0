import Foundation

/// The readable text of a returned message, line by line, with an ASCII-lowercased copy of its
/// bytes for finding a form's wording. The text can be large (a fuzzer's, or a bounce quoting a
/// big message), so phrases are searched for in the whole copy at once, not line by line.
struct BounceText {
    let lines: [Substring]
    /// Every line lowercased (ASCII letters only), each followed by a line feed.
    private let whole: [UInt8]
    /// Where each line starts in `whole`, and one past the end.
    private let starts: [Int]

    init(_ text: String) {
        var lines: [Substring] = []
        let u = text.utf8
        var start = u.startIndex
        var i = u.startIndex
        while i < u.endIndex {
            if u[i] == 0x0A {
                var end = i
                if end > start, u[u.index(before: end)] == 0x0D { end = u.index(before: end) }
                lines.append(text[start..<end])
                start = u.index(after: i)
            }
            i = u.index(after: i)
        }
        lines.append(text[start..<u.endIndex])
        var whole: [UInt8] = []
        whole.reserveCapacity(u.count + 1)
        var starts: [Int] = []
        starts.reserveCapacity(lines.count + 1)
        for l in lines {
            starts.append(whole.count)
            for b in l.utf8 { whole.append(b >= 0x41 && b <= 0x5A ? b | 0x20 : b) }
            whole.append(0x0A)
        }
        starts.append(whole.count)
        self.init(lines: lines, whole: whole, starts: starts)
    }

    private init(lines: [Substring], whole: [UInt8], starts: [Int]) {
        self.lines = lines
        self.whole = whole
        self.starts = starts
    }

    /// Line `i` lowercased, without its line feed.
    func lower(_ i: Int) -> ArraySlice<UInt8> {
        whole[starts[i]..<(starts[i + 1] - 1)]
    }

    /// The lines above the returned copy (qmail's "--- Below this line is a copy of the message.",
    /// Exim's "------ This is a copy of the message", …): its addresses are no recipients.
    var beforeCopy: BounceText {
        var cut = starts[lines.count]
        for marker in Self.copyMarkers {
            var from = 0
            while let at = Self.offset(of: marker, in: whole, from: from, to: cut) {
                // Only at the start of a line, after white space.
                var k = at
                while k > 0, whole[k - 1] == 0x20 || whole[k - 1] == 0x09 { k -= 1 }
                if k == 0 || whole[k - 1] == 0x0A {
                    cut = k
                    break
                }
                from = at + 1
            }
        }
        guard cut < starts[lines.count], let line = starts.firstIndex(of: cut) else { return self }
        return BounceText(lines: Array(lines[..<line]), whole: whole, starts: Array(starts[...line]))
    }

    static let copyMarkers = [
        "--- below this line is a copy of the message", "--- enclosed are the original headers",
        "------ this is a copy of the message", "----- original message -----", "----- unsent message follows",
        "original message headers:", "----- original message follows",
    ].map { Array($0.utf8) }

    /// The first line at or after `from` holding one of the phrases (lowercase ASCII, within a line).
    func firstLine(containing phrases: String..., from: Int = 0) -> Int? {
        guard from < lines.count else { return nil }
        let end = starts[lines.count]
        var best: Int?
        for p in phrases {
            guard let at = Self.offset(of: Array(p.utf8), in: whole, from: starts[from], to: best ?? end) else {
                continue
            }
            best = at
        }
        guard let best else { return nil }
        // The line holding the match: the last start at or before it.
        var lo = from
        var hi = lines.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= best { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    func line(_ i: Int, contains phrase: String) -> Bool {
        Self.offset(of: Array(phrase.utf8), in: whole, from: starts[i], to: starts[i + 1]) != nil
    }

    func line(_ i: Int, contains bytes: [UInt8]) -> Bool {
        Self.offset(of: bytes, in: whole, from: starts[i], to: starts[i + 1]) != nil
    }

    /// Where `needle` first occurs in `haystack[from..<to]`.
    static func offset(of needle: [UInt8], in haystack: [UInt8], from: Int, to: Int) -> Int? {
        guard !needle.isEmpty, to - from >= needle.count else { return nil }
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                let first = n[0]
                var i = from
                let last = to - n.count
                while i <= last {
                    if h[i] == first, memcmp(h.baseAddress! + i, n.baseAddress!, n.count) == 0 { return i }
                    i += 1
                }
                return nil
            }
        }
    }

    /// Whether `haystack` holds `needle`.
    static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        needle.isEmpty || offset(of: needle, in: haystack, from: 0, to: haystack.count) != nil
    }

    static func asciiLowercased(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }
    }
}
