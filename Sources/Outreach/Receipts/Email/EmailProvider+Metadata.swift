extension EmailProvider {
    /// The header field, with its CRLF, that makes this provider echo our delivery id in its
    /// events: Postmark's `X-PM-Metadata-*` (→ `Metadata`), SendGrid's `X-SMTPAPI` unique
    /// arguments (→ top-level event fields), Mailgun's `X-Mailgun-Variables` (→ `user-variables`),
    /// SES's `X-SES-MESSAGE-TAGS` (→ `mail.tags`, with a configuration set). Each provider
    /// removes its own header before delivering, so recipients never see it.
    public func metadataHeader(deliveryID: Int64) -> [UInt8] {
        let key = ProviderFields.deliveryKey
        let field: String
        switch self {
        case .postmark: field = "X-PM-Metadata-\(key): \(deliveryID)"
        case .sendgrid: field = "X-SMTPAPI: {\"unique_args\":{\"\(key)\":\"\(deliveryID)\"}}"
        case .mailgun: field = "X-Mailgun-Variables: {\"\(key)\":\"\(deliveryID)\"}"
        case .ses: field = "X-SES-MESSAGE-TAGS: \(key)=\(deliveryID)"
        }
        return Array((field + "\r\n").utf8)
    }
}
