import Foundation

/// A message or body part read for its bounce information: header fields, content type, the body
/// with its transfer encoding undone, and a multipart's parts. An embedded message
/// (`message/rfc822`) stays a body; `embeddedHeaders` reads its header when it is needed.
struct MIMEEntity: Sendable {
    var headers: MessageHeaders
    var contentType: ContentType
    var body: [UInt8]
    var parts: [MIMEEntity] = []

    /// Nesting deeper than this is read as an opaque body: no real bounce nests deeper, and a
    /// crafted message must not cost more than a bounded number of passes over its bytes.
    static let maxDepth = 8
    /// Body parts read in one message at most, for the same reason.
    static let maxParts = 500

    /// Reads a whole message; throws when the bytes do not start with a header field.
    static func message(_ bytes: [UInt8]) throws(BounceParseError) -> MIMEEntity {
        guard bytes.contains(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0D && $0 != 0x0A }) else {
            throw BounceParseError(.empty)
        }
        var budget = maxParts
        let entity = entity(bytes, depth: 0, budget: &budget)
        guard !entity.headers.fields.isEmpty else { throw BounceParseError(.noHeader) }
        return entity
    }

    static func entity(_ bytes: [UInt8], depth: Int, budget: inout Int) -> MIMEEntity {
        let (headers, end) = MessageHeaders.read(bytes)
        let raw: [UInt8]
        switch end {
        case .blankLine(let b), .strayLine(let b): raw = Array(bytes[min(b, bytes.count)...])
        case .endOfInput: raw = []
        }
        let type = ContentType.parse(headers.first("content-type"))
        var entity = MIMEEntity(
            headers: headers, contentType: type,
            body: type.isMultipart
                ? raw : BodyDecoding.decode(raw, transferEncoding: headers.first("content-transfer-encoding")))
        if type.isMultipart, depth < maxDepth, let boundary = type.parameters["boundary"], !boundary.isEmpty {
            for range in partRanges(raw, boundary: Array(boundary.utf8)) {
                guard budget > 0 else { break }
                budget -= 1
                entity.parts.append(self.entity(Array(raw[range]), depth: depth + 1, budget: &budget))
            }
        }
        return entity
    }

    /// The byte ranges of a multipart body's parts: between `--boundary` lines, up to `--boundary--`
    /// (or the end, when the closing line is missing). The line break before a boundary line belongs
    /// to the boundary (RFC 2046 §5.1.1).
    static func partRanges(_ body: [UInt8], boundary: [UInt8]) -> [Range<Int>] {
        var ranges: [Range<Int>] = []
        var partStart: Int?
        var i = 0
        let n = body.count
        while i < n {
            var end = i
            while end < n, body[end] != 0x0A { end += 1 }
            let next = end < n ? end + 1 : n
            if end - i >= boundary.count + 2, body[i] == 0x2D, body[i + 1] == 0x2D,
                body[(i + 2)..<(i + 2 + boundary.count)].elementsEqual(boundary)
            {
                let after = i + 2 + boundary.count
                let closing = after + 1 < end && body[after] == 0x2D && body[after + 1] == 0x2D
                // Not a longer boundary that merely starts with this one (nested parts often share a prefix).
                let rest = body[(closing ? after + 2 : after)..<end]
                guard rest.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) else {
                    i = next
                    continue
                }
                if let s = partStart {
                    var e = i
                    if e > s, body[e - 1] == 0x0A { e -= 1 }
                    if e > s, body[e - 1] == 0x0D { e -= 1 }
                    ranges.append(s..<max(s, e))
                }
                if closing { return ranges }
                partStart = next
            }
            i = next
        }
        if let s = partStart, s < n { ranges.append(s..<n) }
        return ranges
    }

    /// This entity and every part below it, depth first; embedded messages are not opened.
    var allParts: [MIMEEntity] {
        var out: [MIMEEntity] = [self]
        for p in parts { out += p.allParts }
        return out
    }

    /// The text of a body part, in its charset.
    var text: String {
        BodyDecoding.text(body, charset: contentType.parameters["charset"])
    }

    /// The header of an embedded message (`message/rfc822`, `message/global`) or a returned header
    /// (`text/rfc822-headers`, `message/global-headers`).
    var embeddedHeaders: MessageHeaders {
        MessageHeaders.read(body).0
    }

    static let embeddedTypes: Set<String> = [
        "message/rfc822", "message/global", "text/rfc822-headers", "message/global-headers",
        "message/rfc822-headers",
    ]
}
