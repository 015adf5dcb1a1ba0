/// What the provider parsers share: which delivery an event is about, and its fields made safe
/// to store (one line, bounded).
enum ProviderFields {
    /// The metadata key a message may carry our delivery id under (SendGrid unique/custom args,
    /// Mailgun user-variables, Postmark Metadata, SES message tags).
    static let deliveryKey = "outreach_delivery"

    /// Our delivery id from the `Message-ID` we give every message (`MailMessage.stableID`), with
    /// or without angle brackets, as the bounce parser reads it; nil for any other id.
    static func deliveryID(messageID: String?) -> Int64? {
        messageID.flatMap(BounceParser.deliveryFromMessageIDs)
    }

    /// Our delivery id from an `X-Outreach-Delivery` header or a metadata value, as the bounce parser reads it.
    static func deliveryID(value: String?) -> Int64? {
        value.flatMap(BounceParser.deliveryID)
    }

    /// A delivered event's receipt: `words` (the receiving server's answer) after the provider's event name.
    static func delivered(_ delivery: Int64?, _ event: String, _ words: String?) -> Receipt {
        Receipt(deliveryID: delivery, state: .delivered, reason: event + (words.map { ": " + $0 } ?? ""))
    }

    /// A metadata value as text: providers send strings, some numbers.
    static func text(_ v: JSON?) -> String? {
        switch v {
        case .string(let s)?: return s
        case .number(let n)?: return n
        case .array(let a)?: return a.first.flatMap { text($0) }  // SES tags: name → [values]
        default: return nil
        }
    }

    /// The address an event names, trimmed of white space and angle brackets, its domain lower-cased;
    /// nil when it is not an address.
    static func recipient(_ raw: String?) -> String? {
        guard var s = raw?.singleLine.trimmingSpaces, !s.isEmpty else { return nil }
        if s.hasPrefix("<"), s.hasSuffix(">") { s = String(s.dropFirst().dropLast()) }
        guard let at = s.lastIndex(of: "@"), at != s.startIndex, s.index(after: at) != s.endIndex,
            s.count <= 320
        else { return nil }
        return String(s[..<at]) + "@" + s[s.index(after: at)...].lowercased()
    }

    /// Free text from the provider (a diagnostic, an SMTP answer), on one line and at most 1,000 characters.
    static func line(_ raw: String?) -> String? {
        guard let s = raw?.singleLine.trimmingSpaces, !s.isEmpty else { return nil }
        return s.count > 1_000 ? String(s.prefix(1_000)) + "…" : s
    }

    /// An RFC 3463 enhanced status code (`5.1.1`): the one the provider gives, else the first in `text`.
    static func status(_ given: String?, text: String?) -> String? {
        given.flatMap(BounceClassifier.enhancedStatus) ?? text.flatMap(BounceClassifier.enhancedStatus)
    }

    /// The provider's word for a failure, unless a status code says otherwise: the code decides
    /// first, as for a DSN (`BounceClassifier`: 4.x.x soft, 5.2.2 and most 5.7.x soft, 5.1.x hard).
    /// Delays, complaints and auto-replies are not failures the code could reclassify.
    static func kind(_ kind: BounceKind, status: String?, diagnostic: String?) -> BounceKind {
        guard [.hard, .soft, .unknown].contains(kind), let status,
            let byCode = BounceClassifier.kind(
                forStatus: status, text: BounceText.asciiLowercased((diagnostic ?? "").utf8))
        else { return kind }
        return byCode
    }
}
