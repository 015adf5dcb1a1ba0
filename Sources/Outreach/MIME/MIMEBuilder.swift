import Foundation

/// Builds the RFC 5322 bytes of a `MailMessage`: CRLF line ends, no line over 998 octets,
/// UTF-8 bodies in quoted-printable, attachments in base64, a random boundary per message.
public enum MIMEBuilder {
    public static func build(_ m: MailMessage) throws(MIMEError) -> [UInt8] {
        var h: [(String, String)] = []
        func checked(_ field: String, _ value: String) throws(MIMEError) -> String {
            guard !hasLineBreak(value) else {
                throw .lineBreakInHeader(field: field)
            }
            return value
        }
        h.append(("Date", rfc5322Date(m.date)))
        h.append(("Message-ID", "<" + (try checked("Message-ID", m.messageID)) + ">"))
        h.append(("From", try mailbox(m.from, "From")))
        guard !m.to.isEmpty else { throw .badAddress("") }
        h.append(("To", try m.to.map { a throws(MIMEError) in try mailbox(a, "To") }.joined(separator: ",\r\n ")))
        if let r = m.replyTo { h.append(("Reply-To", try mailbox(r, "Reply-To"))) }
        h.append(("Subject", HeaderEncoding.unstructured(try checked("subject", m.subject), nameLength: 7)))
        if let l = m.listID { h.append(("List-Id", "<" + (try checked("List-Id", l)) + ">")) }
        if let u = m.unsubscribeURL {
            h.append(("List-Unsubscribe", "<" + (try checked("unsubscribe URL", u)) + ">"))
            h.append(("List-Unsubscribe-Post", "List-Unsubscribe=One-Click"))
        }
        for (k, v) in m.extraHeaders { h.append((try checked("header name", k), try checked(k, v))) }
        h.append(("MIME-Version", "1.0"))

        let body = try Self.body(m)
        // One buffer for the whole message, written once: the parts are not copied into their
        // multipart, nor the multipart into the message.
        var out: [UInt8] = []
        out.reserveCapacity(1024 + body.estimatedSize)
        for (k, v) in h {
            let start = out.count
            out.append(contentsOf: k.utf8)
            out.append(0x3A)
            out.append(0x20)
            out.append(contentsOf: v.utf8)
            // What could not be folded (a URL, an id) is refused here rather than by the relay.
            let longest = out.withUnsafeBufferPointer { longestLine(UnsafeBufferPointer(rebasing: $0[start...])) }
            if longest > 998 { throw .headerTooLong(field: k) }
            out.append(0x0D)
            out.append(0x0A)
        }
        out.append(contentsOf: body.headers.utf8)
        out.append(0x0D)
        out.append(0x0A)
        body.appendContent(to: &out)
        return out
    }

    /// The longest line of `s` in bytes, lines ending at LF, a CR before the LF not counted (one
    /// pass over the bytes: splitting made an array of lines for every header of every message).
    static func longestLine(_ s: String) -> Int {
        var s = s
        return s.withUTF8 { longestLine($0) }
    }

    static func longestLine(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var longest = 0
        var length = 0
        var lastCR = false
        for b in bytes {
            if b == 0x0A {
                longest = max(longest, length - (lastCR ? 1 : 0))
                length = 0
                lastCR = false
            } else {
                length += 1
                lastCR = b == 0x0D
            }
        }
        return max(longest, length - (lastCR ? 1 : 0))
    }

    /// Whether `s` has a CR or LF anywhere. On the UTF-8 bytes: a line break is always a grapheme
    /// of its own (or CR LF), so this is what a check of the Characters finds, at a fraction of the cost.
    static func hasLineBreak(_ s: String) -> Bool {
        s.utf8.withContiguousStorageIfAvailable { $0.contains { $0 == 0x0D || $0 == 0x0A } }
            ?? s.utf8.contains { $0 == 0x0D || $0 == 0x0A }
    }

    static func mailbox(_ a: MailAddress, _ field: String) throws(MIMEError) -> String {
        if hasLineBreak(a.address) || hasLineBreak(a.name ?? "") { throw .lineBreakInHeader(field: field) }
        // Any of these bytes refuses the address (a Character check would let " " with a combining
        // mark after it through, which is no more an address).
        guard a.address.utf8.contains(UInt8(ascii: "@")),
            !a.address.utf8.contains(where: { $0 == 0x20 || $0 == 0x3C || $0 == 0x3E || $0 == 0x2C })
        else {
            throw .badAddress(a.address)
        }
        return HeaderEncoding.mailbox(a)
    }

    /// A MIME entity: its Content-* header lines (each ending CRLF) and its body, either bytes
    /// or the parts of a multipart between their boundaries.
    struct Part {
        var headers: String
        var content: [UInt8]
        var boundary = ""
        var parts: [Part] = []

        /// Roughly the bytes of the content, for reserving the output once.
        var estimatedSize: Int {
            parts.reduce(content.count) { $0 + $1.headers.utf8.count + $1.estimatedSize + 2 * boundary.utf8.count + 12 }
        }

        func appendContent(to out: inout [UInt8]) {
            guard !parts.isEmpty else {
                out.append(contentsOf: content)
                return
            }
            for p in parts {
                out.append(contentsOf: "--".utf8)
                out.append(contentsOf: boundary.utf8)
                out.append(0x0D)
                out.append(0x0A)
                out.append(contentsOf: p.headers.utf8)
                out.append(0x0D)
                out.append(0x0A)
                p.appendContent(to: &out)
                out.append(0x0D)
                out.append(0x0A)
            }
            out.append(contentsOf: "--".utf8)
            out.append(contentsOf: boundary.utf8)
            out.append(contentsOf: "--\r\n".utf8)
        }
    }

    static func textPart(_ text: String, subtype: String, extra: String = "") -> Part {
        Part(
            headers:
                "Content-Type: text/\(subtype); charset=UTF-8\(extra)\r\nContent-Transfer-Encoding: quoted-printable\r\n",
            content: QuotedPrintable.encode(text))
    }

    static func base64Part(_ data: [UInt8], headers: String) -> Part {
        let b64 = Data(data).base64EncodedString(options: [
            .lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed,
        ])
        return Part(headers: headers + "Content-Transfer-Encoding: base64\r\n", content: Array(b64.utf8))
    }

    static func multipart(_ subtype: String, _ parts: [Part]) -> Part {
        let boundary = MIMEBoundary.next()
        return Part(
            headers: "Content-Type: multipart/\(subtype);\r\n boundary=\"\(boundary)\"\r\n", content: [],
            boundary: boundary, parts: parts)
    }

    static func body(_ m: MailMessage) throws(MIMEError) -> Part {
        var alternatives = [textPart(m.text, subtype: "plain")]
        if let html = m.html { alternatives.append(textPart(html, subtype: "html")) }
        if let cal = m.calendar {
            alternatives.append(textPart(cal.ics, subtype: "calendar", extra: "; method=\(cal.method)"))
        }
        let main = alternatives.count == 1 ? alternatives[0] : multipart("alternative", alternatives)
        var attachments = m.attachments
        if let cal = m.calendar {
            attachments.append(
                MailAttachment(filename: "invite.ics", contentType: "application/ics", data: Array(cal.ics.utf8)))
        }
        if attachments.isEmpty { return main }
        var parts = [main]
        for a in attachments {
            guard !a.filename.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\r\n" }),
                !a.contentType.contains(where: { $0 == "\r" || $0 == "\n" })
            else {
                throw .lineBreakInHeader(field: "attachment name")
            }
            parts.append(
                base64Part(
                    a.data,
                    headers: "Content-Type: \(a.contentType);\r\n \(HeaderEncoding.parameter("name", a.filename))\r\n"
                        + "Content-Disposition: attachment;\r\n \(HeaderEncoding.parameter("filename", a.filename))\r\n"
                ))
        }
        return multipart("mixed", parts)
    }

    /// `Sun, 22 Nov 2026 18:44:17 +0000`
    static func rfc5322Date(_ d: Date) -> String {
        var t = time_t(d.timeIntervalSince1970)
        var tm = tm()
        gmtime_r(&t, &tm)
        // Written as bytes from static tables: no arrays of names and no interpolations per message.
        var out: [UInt8] = []
        out.reserveCapacity(32)
        func name(_ table: StaticString, _ i: Int32) {
            out.append(contentsOf: UnsafeBufferPointer(start: table.utf8Start + 3 * Int(i), count: 3))
        }
        func two(_ v: Int32) {
            out.append(0x30 + UInt8(v / 10))
            out.append(0x30 + UInt8(v % 10))
        }
        name("SunMonTueWedThuFriSat", tm.tm_wday)
        out.append(contentsOf: ", ".utf8)
        two(tm.tm_mday)
        out.append(0x20)
        name("JanFebMarAprMayJunJulAugSepOctNovDec", tm.tm_mon)
        out.append(0x20)
        out.append(contentsOf: String(tm.tm_year + 1900).utf8)
        out.append(0x20)
        two(tm.tm_hour)
        out.append(0x3A)
        two(tm.tm_min)
        out.append(0x3A)
        two(tm.tm_sec)
        out.append(contentsOf: " +0000".utf8)
        return String(decoding: out, as: UTF8.self)
    }
}
