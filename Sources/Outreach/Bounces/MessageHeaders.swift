import Foundation

/// The header fields of a message or body part, in order: names lowercased, values unfolded (the
/// line breaks of folding removed) and read as UTF-8 (invalid bytes become U+FFFD).
struct MessageHeaders: Sendable {
    var fields: [(name: String, value: String)] = []

    func first(_ name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    func all(_ name: String) -> [String] {
        fields.filter { $0.name == name }.map(\.value)
    }

    /// Where a header block ends.
    enum End {
        /// At a blank line; the body starts at the offset.
        case blankLine(body: Int)
        /// At the end of the input, without a body.
        case endOfInput
        /// At a line that is no header field: read leniently as the first line of the body.
        case strayLine(body: Int)
    }

    /// Reads header fields from `bytes[start...]` until a blank line. An mbox `From ` line before the
    /// first field is skipped (procmail and `.forward` may hand one over).
    static func read(_ bytes: [UInt8], from start: Int = 0) -> (MessageHeaders, End) {
        var headers = MessageHeaders()
        var name: String?
        var value: [UInt8] = []
        var i = start
        let n = bytes.count
        func flush() {
            if let nm = name {
                headers.fields.append((nm, String(decoding: value, as: UTF8.self).trimmingSpaces))
            }
            name = nil
            value.removeAll(keepingCapacity: true)
        }
        var first = true
        while i < n {
            var end = i
            while end < n, bytes[end] != 0x0A { end += 1 }
            let next = end < n ? end + 1 : n
            var lineEnd = end
            if lineEnd > i, bytes[lineEnd - 1] == 0x0D { lineEnd -= 1 }
            defer { first = false }
            if lineEnd == i {
                flush()
                return (headers, .blankLine(body: next))
            }
            let b = bytes[i]
            if b == 0x20 || b == 0x09 {
                // A folded continuation: the line break goes, the white space stays.
                if name != nil { value.append(contentsOf: bytes[i..<lineEnd]) }
                i = next
                continue
            }
            if first, lineEnd - i >= 5, bytes[i..<i + 5].elementsEqual("From ".utf8) {
                i = next
                continue
            }
            guard let colon = fieldNameEnd(bytes, i, lineEnd) else {
                flush()
                return (headers, .strayLine(body: i))
            }
            flush()
            name = String(decoding: bytes[i..<colon.nameEnd], as: UTF8.self).lowercased()
            value.append(contentsOf: bytes[(colon.colon + 1)..<lineEnd])
            i = next
        }
        flush()
        return (headers, .endOfInput)
    }

    /// The end of a field name and its colon when the line is `Name: value` (RFC 5322 field names are
    /// printable ASCII but the colon; the obsolete syntax allows white space before the colon).
    static func fieldNameEnd(_ bytes: [UInt8], _ start: Int, _ end: Int) -> (nameEnd: Int, colon: Int)? {
        var j = start
        while j < end, bytes[j] > 0x20, bytes[j] < 0x7F, bytes[j] != 0x3A { j += 1 }
        guard j > start else { return nil }
        var k = j
        while k < end, bytes[k] == 0x20 || bytes[k] == 0x09 { k += 1 }
        guard k < end, bytes[k] == 0x3A else { return nil }
        return (j, k)
    }
}
