/// Reads what an IMAP server answered to one command, from the two streams libcurl hands over:
/// `lines`, every response line as received (the header callback: libcurl passes each line of an
/// IMAP response there), and `body`, what libcurl writes as data (for a custom command, the
/// untagged `* ` lines).
///
/// Why the message is taken from `lines`: libcurl (7.88 in Debian 12, and later releases until
/// curl issue #18847 was fixed) routes a custom `UID FETCH` through its LIST handling, which writes only the untagged lines as data and drops the literal that holds
/// the message, while its line reader still passes every line of the literal to the header
/// callback. Its URL form (`;UID=n`) does read the literal, but as `BODY[]`, which marks the
/// message read; a bounce mailbox must leave human mail unread, so the command is `BODY.PEEK[]`.
/// Later libcurl reads such a literal as data; `fetchedMessage` takes it from there when the lines
/// do not hold it whole.
enum IMAPResponse {
    /// The bytes split after each LF, each line keeping its CRLF.
    static func splitLines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        var out: [ArraySlice<UInt8>] = []
        var start = 0
        for i in bytes.indices where bytes[i] == 0x0A {
            out.append(bytes[start...i])
            start = i + 1
        }
        if start < bytes.count { out.append(bytes[start...]) }
        return out
    }

    static func text(_ line: ArraySlice<UInt8>) -> String {
        var end = line.endIndex
        while end > line.startIndex, line[end - 1] == 0x0D || line[end - 1] == 0x0A { end -= 1 }
        return String(decoding: line[line.startIndex..<end], as: UTF8.self)
    }

    /// The UIDs of `* SEARCH 3 7 12` lines, ascending.
    static func searchUIDs(_ body: [UInt8]) -> [UInt32] {
        var uids: [UInt32] = []
        for line in splitLines(body) {
            let words = text(line).split(separator: " ")
            guard words.count >= 2, words[0] == "*", words[1].uppercased() == "SEARCH" else { continue }
            uids += words.dropFirst(2).compactMap { UInt32($0) }
        }
        return uids.sorted()
    }

    /// The capabilities of a `* CAPABILITY …` line (upper-cased), or of a `[CAPABILITY …]` code.
    static func capabilities(_ bytes: [UInt8]) -> Set<String>? {
        for line in splitLines(bytes).reversed() {
            let t = text(line)
            if t.hasPrefix("* CAPABILITY ") {
                return Set(t.dropFirst("* CAPABILITY ".count).split(separator: " ").map { $0.uppercased() })
            }
        }
        return nil
    }

    /// The number in `[UIDVALIDITY 3857529045]` of a SELECT's answer.
    static func uidValidity(_ lines: [UInt8]) -> UInt32? {
        for line in splitLines(lines) {
            let t = text(line)
            guard t.hasPrefix("* OK "), let r = t.range(of: "[UIDVALIDITY ") else { continue }
            return UInt32(t[r.upperBound...].prefix { $0.isNumber })
        }
        return nil
    }

    /// The last tagged line (`A005 NO [TRYCREATE] Mailbox doesn't exist`) without its tag: the
    /// server's own words on the command. Lines from a `* BYE` on are the LOGOUT libcurl sends
    /// when it closes the connection after a refused command, not the answer to it.
    static func completion(_ lines: [UInt8]) -> String? {
        var found: String?
        for line in splitLines(lines) {
            let t = text(line)
            if t.uppercased().hasPrefix("* BYE") { break }
            if let c = taggedCompletion(t) { found = c }
        }
        return found
    }

    /// `OK Fetch completed` of `A004 OK Fetch completed`; nil for any other line.
    static func taggedCompletion(_ t: String) -> String? {
        let words = t.split(separator: " ", maxSplits: 2)
        guard words.count >= 2, words[0] != "*", words[0] != "+",
            words[0].allSatisfy({ $0.isLetter || $0.isNumber }),
            ["OK", "NO", "BAD"].contains(words[1].uppercased())
        else { return nil }
        return String(t.dropFirst(words[0].count + 1))
    }

    /// The message of a `UID FETCH n BODY.PEEK[]` answer: from `lines` when they hold the literal
    /// whole (followed by the line closing the FETCH and the tagged completion), else from `body`
    /// (after its FETCH line, or all of it when it is exactly the literal's size); nil when neither
    /// does (no such message, or the literal was cut short).
    static func fetchedMessage(lines: [UInt8], body: [UInt8]) -> [UInt8]? {
        if let (start, size) = literalStart(lines), lines.count - start >= size {
            let rest = splitLines(Array(lines[(start + size)...]))
            // The FETCH's closing line, then only untagged lines and the completion.
            if let first = rest.first, text(first).hasSuffix(")"), let last = rest.last,
                taggedCompletion(text(last)) != nil,
                rest.dropFirst().dropLast().allSatisfy({ $0.first == UInt8(ascii: "*") })
            {
                return Array(lines[start..<(start + size)])
            }
        }
        if let (start, size) = literalStart(body), body.count - start >= size {
            return Array(body[start..<(start + size)])
        }
        // A libcurl that writes the literal alone as data, the FETCH line only to the lines.
        if let (_, size) = literalStart(lines), body.count == size, !body.starts(with: Array("* ".utf8)) {
            return body
        }
        return nil
    }

    /// Where the literal of the first `* n FETCH (… {size}` line starts, and its size.
    static func literalStart(_ bytes: [UInt8]) -> (start: Int, size: Int)? {
        var offset = 0
        for line in splitLines(bytes) {
            offset += line.count
            let t = text(line)
            guard t.hasPrefix("* "), t.uppercased().contains(" FETCH ("), t.hasSuffix("}"),
                let open = t.lastIndex(of: "{"), let size = Int(t[t.index(after: open)..<t.index(before: t.endIndex)])
            else { continue }
            return (offset, size)
        }
        return nil
    }

    /// `name` as an IMAP quoted string (`"Processed"`), for the folder in COPY, MOVE and CREATE.
    static func quoted(_ name: String) -> String {
        "\"" + name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
