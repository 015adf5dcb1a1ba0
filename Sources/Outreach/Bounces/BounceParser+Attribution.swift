import Foundation

extension BounceParser {
    /// The delivery a returned message is about, in this order: a verified VERP token in the
    /// addresses the report was sent to; the returned original's `X-Outreach-Delivery`; its
    /// Message-ID of our form (`outreach.DELIVERY.MESSAGE.CREATED@domain`); for an automatic reply,
    /// the In-Reply-To or References naming our Message-ID. Nil when none does: the pipeline then
    /// matches the recipient address.
    func attribute(_ m: ReturnedMessage) -> Int64? {
        if let verp {
            for name in Self.envelopeHeaders {
                for value in m.root.headers.all(name) + (m.returnedHeaders?.all(name) ?? []) {
                    for candidate in Self.plusAddresses(value) {
                        if let d = verp.delivery(fromAddress: String(candidate)) { return d }
                    }
                }
            }
        }
        if let h = m.returnedHeaders {
            if let d = h.first(Self.deliveryHeader.lowercased()).flatMap(Self.deliveryID) { return d }
            if let d = h.first("message-id").flatMap(Self.deliveryFromMessageIDs) { return d }
        }
        // A returned copy inline in the text (qmail, Exim, Sendmail write it below their words).
        if let d = Self.inlineDelivery(m.text) { return d }
        for name in ["in-reply-to", "references"] {
            if let d = m.root.headers.first(name).flatMap(Self.deliveryFromMessageIDs) { return d }
        }
        return nil
    }

    /// Where the report's own header names the address it was sent to (the VERP return path).
    static let envelopeHeaders = ["to", "delivered-to", "x-original-to", "envelope-to", "x-envelope-to", "return-path"]

    /// The words of a header value that could be a VERP address (`base+token@domain`).
    static func plusAddresses(_ value: String) -> [Substring] {
        value.split(whereSeparator: { " ,;<>\t\"'()".contains($0) }).filter { $0.contains("+") && $0.contains("@") }
    }

    static func deliveryID(_ value: String) -> Int64? {
        guard let id = Int64(value.trimmingSpaces), id > 0 else { return nil }
        return id
    }

    /// The delivery in the first Message-ID of our form among `<…>` ids.
    static func deliveryFromMessageIDs(_ value: String) -> Int64? {
        for id in value.split(whereSeparator: { $0 == "<" || $0 == ">" || $0 == " " || $0 == "," || $0 == "\t" }) {
            let parts = id.split(separator: ".", maxSplits: 3)
            guard parts.count == 4, parts[0].lowercased() == "outreach", Int64(parts[2]) != nil,
                parts[3].contains("@"), let d = Int64(parts[1]), d > 0
            else { continue }
            return d
        }
        return nil
    }

    /// `X-Outreach-Delivery:` or `Message-ID:` lines of a copy returned inside the text.
    static func inlineDelivery(_ text: BounceText) -> Int64? {
        let header = Array((deliveryHeader.lowercased() + ":").utf8)
        let messageID = Array("message-id:".utf8)
        var fromMessageID: Int64?
        for (i, line) in text.lines.enumerated() {
            let lower = text.lower(i)
            if lower.starts(with: header), let d = deliveryID(String(line.utf8.dropFirst(header.count))!) {
                return d
            }
            if fromMessageID == nil, lower.starts(with: messageID) {
                let value = String(line.utf8.dropFirst(messageID.count))!.trimmingSpaces
                let folded = value.isEmpty && i + 1 < text.lines.count ? text.lines[i + 1].trimmingSpaces : value
                fromMessageID = deliveryFromMessageIDs(folded)
            }
        }
        return fromMessageID
    }
}
