import Foundation

/// RFC 5965 Abuse Reporting Format: `message/feedback-report` in a `multipart/report`. A report of
/// type abuse, fraud, virus or other is a complaint; `not-spam` and `auth-failure` (RFC 6591)
/// report nothing about the person and give no result.
enum FeedbackReport {
    static func results(_ report: MIMEEntity, returned: MessageHeaders?) -> [BounceResult] {
        let fields = DeliveryStatus.fieldGroups(report.body).first ?? MessageHeaders()
        let type = fields.first("feedback-type")?.trimmingSpaces.lowercased() ?? "abuse"
        guard !["not-spam", "auth-failure"].contains(type) else { return [] }
        var diagnostic = "Feedback-Type: \(type)"
        if let agent = fields.first("user-agent") { diagnostic += "; User-Agent: " + DeliveryStatus.oneLine(agent) }
        // The reporter names the recipient (Original-Rcpt-To), else the returned message's To does;
        // many reporters redact both, and then the delivery attribution is all there is.
        var recipients = fields.all("original-rcpt-to").compactMap(BounceAddress.normalize)
        if recipients.isEmpty, let to = returned?.first("to") { recipients = BounceAddress.all(in: to) }
        if recipients.isEmpty { return [BounceResult(recipient: nil, kind: .complaint, diagnostic: diagnostic)] }
        return recipients.map { BounceResult(recipient: $0, kind: .complaint, diagnostic: diagnostic) }
    }
}
