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
        let status = BounceClassifier.enhancedStatus(in: reply)
        // Classified as a DSN's Status and Diagnostic-Code are: a quota or a policy refusal (5.7.x)
        // is soft. The relay refused the recipient with a 5xx, so a reply that says nothing is hard.
        var kind = BounceClassifier.kind(status: status, diagnostic: reply)
        if kind == .unknown { kind = .hard }
        return BounceResult(recipient: address, kind: kind, status: status, diagnostic: reply, delivery: delivery)
    }
}
