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
        var out = ""
        for (k, v) in h {
            let field = k + ": " + v
            // What could not be folded (a URL, an id) is refused here rather than by the relay.
            if longestLine(field) > 998 { throw .headerTooLong(field: k) }
            out += field + "\r\n"
        }
        out += body.headers
        var bytes = Array(out.utf8)
        bytes += [0x0D, 0x0A]
        bytes += body.content
        return bytes
    }

    /// The longest line of `s` in bytes, lines ending at LF, a CR before the LF not counted (one
    /// pass over the bytes: splitting made an array of lines for every header of every message).
    static func longestLine(_ s: String) -> Int {
        var longest = 0
        var length = 0
        var lastCR = false
        for b in s.utf8 {
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
        s.utf8.contains { $0 == 0x0D || $0 == 0x0A }
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

    /// A MIME entity: its Content-* header lines (each ending CRLF) and its body.
    struct Part {
        var headers: String
        var content: [UInt8]
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
        let boundary = "=_outreach_" + Crypto.hex(Crypto.randomBytes(12))
        var content: [UInt8] = []
        for p in parts {
            content += Array("--\(boundary)\r\n\(p.headers)\r\n".utf8)
            content += p.content
            content += [0x0D, 0x0A]
        }
        content += Array("--\(boundary)--\r\n".utf8)
        return Part(headers: "Content-Type: multipart/\(subtype);\r\n boundary=\"\(boundary)\"\r\n", content: content)
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
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(days[Int(tm.tm_wday)]), \(two(tm.tm_mday)) \(months[Int(tm.tm_mon)]) \(tm.tm_year + 1900) "
            + "\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec)) +0000"
    }
}
