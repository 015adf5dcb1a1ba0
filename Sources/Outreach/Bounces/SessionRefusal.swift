/// A relay's 5xx to RCPT TO during the SMTP session (`DeliveryOutcome.permanent` with `suppress`),
/// as a bounce result, so it goes through the same rules as a DSN: a definite bad mailbox
/// suppresses at once, other refusals are scored.
public enum SessionRefusal {
    /// Recorded as the source of such bounces.
    public static let source = "SMTP session"

    /// - Parameters:
    ///   - reply: the relay's reply (`550 5.1.1 <a@example.org>: Recipient address rejected`).
    ///   - address: the recipient refused.
    ///   - delivery: the delivery it was for.
    public static func result(reply: String, address: String, delivery: Int64) -> BounceResult {
        let status = enhancedStatus(in: reply)
        return BounceResult(
            recipient: address, kind: kind(status: status), status: status, diagnostic: reply, delivery: delivery)
    }

    /// A quota (5.2.2) is soft; a policy refusal (5.7.x: the sender or the message, not the
    /// mailbox) is recorded only, never scored; any other 5xx, with or without an enhanced
    /// status, is hard.
    static func kind(status: String?) -> BounceKind {
        guard let status else { return .hard }
        if status == "5.2.2" { return .soft }
        if status.hasPrefix("5.7.") { return .unknown }
        return status.hasPrefix("4.") ? .soft : .hard
    }

    /// The RFC 3463 code after the reply code (`550 5.1.1 …`, `550-5.1.1 …`), or nil.
    static func enhancedStatus(in reply: String) -> String? {
        let words = reply.split(whereSeparator: { $0 == " " || $0 == "-" }).prefix(3)
        return words.dropFirst().first { w in
            let parts = w.split(separator: ".", omittingEmptySubsequences: false)
            return parts.count == 3 && ["2", "4", "5"].contains(parts[0])
                && parts.dropFirst().allSatisfy { (1...3).contains($0.count) && $0.allSatisfy(\.isASCIIDigit) }
        }.map(String.init)
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
