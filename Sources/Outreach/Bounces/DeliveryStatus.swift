import Foundation

/// RFC 3464 `message/delivery-status` and RFC 6533 `message/global-delivery-status` bodies: a
/// per-message group of fields, then one group per recipient, separated by blank lines.
enum DeliveryStatus {
    static let types: Set<String> = ["message/delivery-status", "message/global-delivery-status"]

    /// A result per recipient block that reports a failure or a delay (every block, in order);
    /// nil when the body holds no recipient block at all.
    static func results(_ part: MIMEEntity) -> [BounceResult]? {
        var out: [BounceResult] = []
        var sawRecipient = false
        for block in recipientBlocks(fieldGroups(part.body)) {
            guard let named = block.first("final-recipient") ?? block.first("original-recipient") else { continue }
            sawRecipient = true
            let recipient =
                block.first("final-recipient").flatMap(BounceAddress.normalize)
                ?? block.first("original-recipient").flatMap(BounceAddress.normalize) ?? BounceAddress.normalize(named)
            let diagnostic = block.first("diagnostic-code").map(oneLine).flatMap { $0.isEmpty ? nil : $0 }
            let status =
                block.first("status").flatMap { BounceClassifier.enhancedStatus(in: $0) }
                ?? diagnostic.flatMap { BounceClassifier.enhancedStatus(in: $0) }
            let action = block.first("action")?.split(separator: " ").first?.lowercased()
            let kind: BounceKind
            switch action {
            case "delivered", "relayed", "expanded": continue
            case "delayed": kind = .delayed
            default:
                if action == nil, status?.hasPrefix("2.") == true { continue }
                kind = BounceClassifier.kind(status: status, diagnostic: diagnostic)
            }
            out.append(BounceResult(recipient: recipient, kind: kind, status: status, diagnostic: diagnostic))
        }
        return sawRecipient ? out : nil
    }

    /// The groups of `Name: value` fields separated by blank lines; lines that are no field are skipped.
    static func fieldGroups(_ body: [UInt8]) -> [MessageHeaders] {
        var groups: [MessageHeaders] = []
        var offset = 0
        let n = body.count
        while offset < n {
            let (fields, end) = MessageHeaders.read(body, from: offset)
            if !fields.fields.isEmpty { groups.append(fields) }
            switch end {
            case .blankLine(let next): offset = max(next, offset + 1)
            case .endOfInput: offset = n
            case .strayLine(let at):
                var e = max(at, offset)
                while e < n, body[e] != 0x0A { e += 1 }
                offset = e + 1
            }
        }
        return groups
    }

    /// Groups split again where a second `Final-Recipient` starts without a blank line before it.
    static func recipientBlocks(_ groups: [MessageHeaders]) -> [MessageHeaders] {
        var out: [MessageHeaders] = []
        for g in groups {
            var current = MessageHeaders()
            for f in g.fields {
                if f.name == "final-recipient", current.first("final-recipient") != nil {
                    out.append(current)
                    current = MessageHeaders()
                }
                current.fields.append(f)
            }
            out.append(current)
        }
        return out
    }

    /// White space runs (folding, tabs) as one space.
    static func oneLine(_ s: String) -> String {
        s.split(whereSeparator: { $0 == " " || $0 == "\t" || $0.isNewline }).joined(separator: " ")
    }
}
