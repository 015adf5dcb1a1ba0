import Foundation

/// Turns a rendered template for one delivery into the RFC 5322 bytes of its email.
public struct EmailComposer: Sendable {
    public let from: MailAddress
    public let replyTo: MailAddress?
    /// `from.domain`, split out once rather than for every message's id and List-Id.
    let domain: String

    public init(config: Config) throws {
        from = try MailAddress.parse(config.senderFrom)
        if let r = try config.sections["sender"]?.string("reply_to") {
            replyTo = try MailAddress.parse(r)
        } else {
            replyTo = nil
        }
        domain = from.domain
    }

    public func build(
        _ c: ClaimedDelivery, rendered r: RenderedTemplate, unsubscribeURL: String?,
        calendar: CalendarPart? = nil
    ) throws(MIMEError) -> [UInt8] {
        // Header text as one line: data rendered into the subject, or a name stored before names
        // were cleaned on entry, must not make the message unbuildable (dead) or inject a header.
        let name = (c.delivery.name ?? c.contact?.name)?.singleLine
        var m = MailMessage(
            from: from, to: [MailAddress(name: name, address: c.delivery.address)],
            subject: (r.subject ?? "").singleLine, text: r.text, html: r.html,
            messageID: MailMessage.stableID(
                deliveryID: c.delivery.id, messageID: c.message.id ?? 0,
                createdAt: c.delivery.createdAt, domain: domain))
        m.replyTo = replyTo
        // Read back from the headers a bounce returns (not DKIM-signed: a relay may strip it).
        m.extraHeaders.append((BounceParser.deliveryHeader, String(c.delivery.id)))
        m.calendar = calendar
        if c.message.kind.composedAsListMail, let list = c.message.listName {
            m.listID = "\(list).\(domain)"
            m.unsubscribeURL = unsubscribeURL
        }
        for path in c.message.attachments { m.attachments.append(try MailAttachment.file(path)) }
        return try MIMEBuilder.build(m)
    }

    /// The envelope sender (bounce address) of `From`.
    public var envelopeFrom: String { from.address }
}
