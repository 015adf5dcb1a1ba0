/// What the provider parsers share: which delivery an event is about, and its fields made safe
/// to store (one line, bounded).
enum ProviderFields {
    /// The metadata key a message may carry our delivery id under (SendGrid unique/custom args,
    /// Mailgun user-variables, Postmark Metadata, SES message tags).
    static let deliveryKey = "outreach_delivery"

    /// Our delivery id from the `Message-ID` we give every message
    /// (`<outreach.DELIVERY.MESSAGE.CREATED@domain>`, `MailMessage.stableID`), with or without
    /// the angle brackets; nil for any other id.
    static func deliveryID(messageID: String?) -> Int64? {
        guard var s = messageID?.trimmingSpaces else { return nil }
        if s.hasPrefix("<") { s.removeFirst() }
        guard s.hasPrefix("outreach.") else { return nil }
        let rest = s.dropFirst("outreach.".count)
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        guard rest.dropFirst(digits.count).first == ".", digits.count <= 18 else { return nil }
        return Int64(digits).flatMap { $0 > 0 ? $0 : nil }
    }

    /// Our delivery id from an `X-Outreach-Delivery` header or a metadata value: its leading
    /// decimal digits, up to the end or a `.` (room for a signature after them).
    static func deliveryID(value: String?) -> Int64? {
        guard let s = value?.trimmingSpaces else { return nil }
        let digits = s.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 18 else { return nil }
        let next = s.dropFirst(digits.count).first
        guard next == nil || next == "." else { return nil }
        return Int64(digits).flatMap { $0 > 0 ? $0 : nil }
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

    /// An RFC 3463 enhanced status code (`5.1.1`) given as one, or the first found in `text`.
    static func status(_ given: String?, text: String?) -> String? {
        if let g = given?.trimmingSpaces, isStatus(Substring(g)) { return g }
        guard let text else { return nil }
        let chars = Array(text)
        var i = 0
        while i < chars.count {
            if "245".contains(chars[i]), i == 0 || !(chars[i - 1].isNumber || chars[i - 1] == ".") {
                var j = i
                while j < chars.count, chars[j].isASCII, chars[j].isNumber || chars[j] == "." { j += 1 }
                var candidate = Substring(String(chars[i..<j]))
                if candidate.hasSuffix(".") { candidate = candidate.dropLast() }
                if isStatus(candidate) { return String(candidate) }
                i = j
            } else {
                i += 1
            }
        }
        return nil
    }

    /// `class.subject.detail`: 2, 4 or 5, then one to three digits twice.
    static func isStatus(_ s: Substring) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, ["2", "4", "5"].contains(parts[0]) else { return false }
        return parts.dropFirst().allSatisfy { (1...3).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    /// The provider's own word for a kind, corrected by the status code where the two disagree: a
    /// 4.x.x status is never hard, and 5.2.2 (mailbox full) is soft (RFC 3463).
    static func kind(_ kind: BounceKind, status: String?) -> BounceKind {
        guard kind == .hard, let status else { return kind }
        if status.hasPrefix("4.") || status == "5.2.2" { return .soft }
        return kind
    }
}
