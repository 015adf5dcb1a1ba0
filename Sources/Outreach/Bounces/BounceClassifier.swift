import Foundation

/// What kind of failure a status code and a server's words describe (docs/bounces.md, "Classification").
///
/// The enhanced status code (RFC 3463) decides first. 4.x.x is soft: the relay gave up on a
/// temporary failure, the address may well work tomorrow. 5.x.x is hard, except where the code
/// says the address is fine and the message or the sender is not:
/// - 5.2.2 mailbox full, 5.2.3 message too big for the mailbox, 5.3.4 message too big: soft;
/// - 5.7.x (policy: spam blocks, reputation, authentication, DMARC): soft, since suppressing a
///   good address for our own sending problem would lose the person for good — unless the words
///   say the mailbox does not exist (some servers reject unknown users with 5.7.1);
/// - other 5.x.x whose words speak of a full mailbox or a block (`5.0.0 ... mailbox full`,
///   `5.5.0 ... blocked using Spamhaus`): soft. 5.1.x (a bad address) is always hard.
/// Without an enhanced code the words decide ("user unknown" hard, "quota" soft), then the basic
/// SMTP code (5xx hard, 4xx soft); nothing at all is `unknown`.
enum BounceClassifier {
    static func kind(status: String?, diagnostic: String?) -> BounceKind {
        let text = BounceText.asciiLowercased((diagnostic ?? "").utf8)
        if let status, let kind = kind(forStatus: status, text: text) { return kind }
        if containsAny(text, softPhrases) { return .soft }
        if containsAny(text, hardPhrases) { return .hard }
        switch basicCode(in: diagnostic ?? "")?.first {
        case "5": return .hard
        case "4": return .soft
        default: return .unknown
        }
    }

    /// Nil for a 2.x.x status (success) or a code that is not one.
    static func kind(forStatus status: String, text: [UInt8]) -> BounceKind? {
        let parts = status.split(separator: ".")
        guard parts.count == 3, let cls = parts.first?.first else { return nil }
        let subject = parts[1]
        switch cls {
        case "4": return .soft
        case "5":
            if subject == "1" { return .hard }
            if status == "5.2.2" || status == "5.2.3" || status == "5.3.4" { return .soft }
            if subject == "7" { return containsAny(text, hardPhrases) ? .hard : .soft }
            return containsAny(text, softPhrases) ? .soft : .hard
        default: return nil
        }
    }

    /// The first enhanced status code (`5.1.1`, also `#5.1.1` in Exchange's text) in some text.
    static func enhancedStatus(in text: Substring) -> String? {
        let u = Array(text.utf8)
        var i = 0
        while i < u.count {
            defer { i += 1 }
            let c = u[i]
            guard c == 0x32 || c == 0x34 || c == 0x35, i == 0 || !isCodeByte(u[i - 1]), i + 1 < u.count,
                u[i + 1] == 0x2E
            else { continue }
            // The subject is one digit, 0 to 7 (RFC 3463 defines no other), so a version such as
            // "Exim 4.94.2" is not read as a status.
            guard i + 3 < u.count, u[i + 2] >= 0x30, u[i + 2] <= 0x37, u[i + 3] == 0x2E else { continue }
            var j = i + 4
            let s2 = j
            while j < u.count, j - s2 < 3, isDigit(u[j]) { j += 1 }
            let endsSentence = j < u.count && u[j] == 0x2E && (j + 1 == u.count || !isDigit(u[j + 1]))
            guard j > s2, j == u.count || !isCodeByte(u[j]) || endsSentence else { continue }
            return String(decoding: u[i..<j], as: UTF8.self)
        }
        return nil
    }

    static func enhancedStatus(in text: String) -> String? { enhancedStatus(in: Substring(text)) }

    /// The first three-digit SMTP reply code (`550`, `550-`, `554:`) standing as a word.
    static func basicCode(in text: String) -> String? {
        let u = Array(text.utf8)
        var i = 0
        while i + 2 < u.count {
            defer { i += 1 }
            guard u[i] == 0x34 || u[i] == 0x35, isDigit(u[i + 1]), isDigit(u[i + 2]),
                i == 0 || !isCodeByte(u[i - 1]), i + 3 == u.count || !isCodeByte(u[i + 3])
            else { continue }
            return String(decoding: u[i..<(i + 3)], as: UTF8.self)
        }
        return nil
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    /// Digits, dots and letters: what may not touch a code for it to stand alone.
    static func isCodeByte(_ b: UInt8) -> Bool {
        isDigit(b) || b == 0x2E || (b | 0x20 >= 0x61 && b | 0x20 <= 0x7A)
    }

    static func containsAny(_ text: [UInt8], _ phrases: [[UInt8]]) -> Bool {
        phrases.contains { BounceText.find($0, in: text) }
    }

    /// Words for a mailbox that does not exist (text second, and the 5.7.x exception).
    static let hardPhrases = [
        "user unknown", "unknown user", "no such user", "no such mailbox", "no such recipient", "no such address",
        "mailbox unavailable", "mailbox not found", "mailbox does not exist", "does not exist", "doesn't exist",
        "not exist", "unknown recipient", "recipient unknown", "recipient not found", "address not found",
        "invalid recipient", "invalid mailbox", "invalid address", "unrouteable address", "unroutable address",
        "account has been disabled", "account is disabled", "account disabled", "couldn't be found",
        "could not be found", "recipientnotfound", "doesn't have a", "no longer", "host or domain name not found",
        "domain not found", "bad destination mailbox",
    ].map { Array($0.utf8) }

    /// Words for a full mailbox or a block of the sender, not of the address.
    static let softPhrases = [
        "quota", "mailbox full", "mailbox is full", "mailbox has exceeded", "insufficient storage",
        "exceeded storage", "storage allocation", "too many messages", "try again later", "temporarily",
        "greylist", "spam", "blocked", "blacklist", "blocklist", "rate limit", "reputation", "queue too long",
    ].map { Array($0.utf8) }
}
