import Foundation

/// Renders a claimed delivery's template for its recipient and channel, and builds the email.
public struct TemplateComposer: DeliveryComposer {
    public let library: TemplateLibrary
    public let config: Config
    public let links: LinkSigner
    /// Built once: the sender does not change between messages.
    let email: EmailComposer?

    public init(library: TemplateLibrary, config: Config, links: LinkSigner) {
        self.library = library
        self.config = config
        self.links = links
        email = try? EmailComposer(config: config)
    }

    /// What the template sees: the message's data at top level, then `contact`, `list`,
    /// `unsubscribe_url`, `confirm_url`.
    public func context(_ c: ClaimedDelivery) -> JSON {
        var o = c.message.data.objectValue ?? [:]
        var contact =
            c.contact ?? Contact(name: c.delivery.name, locale: c.delivery.locale, timeZone: c.delivery.timeZone)
        if contact.email == nil, c.delivery.address.contains("@") { contact.email = c.delivery.address }
        if contact.phone == nil, c.delivery.address.hasPrefix("+") { contact.phone = c.delivery.address }
        o["contact"] = contact.templateValue
        addEvent(c, to: &o)
        if let list = c.message.listName {
            o["list"] = ["name": .string(list)]
            o["unsubscribe_url"] = .string(
                links.unsubscribeURL(list: list, address: c.delivery.address, contactID: c.delivery.contactID))
            // Only confirmations (transactional) need a confirm link; list mail skips the signing.
            if c.message.kind == .transactional {
                o["confirm_url"] = .string(
                    links.confirmURL(list: list, address: c.delivery.address, contactID: c.delivery.contactID))
            }
        }
        return .object(o)
    }

    public func compose(_ c: ClaimedDelivery, for channel: any Channel) throws -> OutgoingMessage {
        let locale = c.delivery.locale ?? c.contact?.locale
        let ctx = context(c)
        let r = try library.render(c.message.template, kind: channel.kind, locale: locale, context: ctx)
        var m = OutgoingMessage(
            deliveryID: c.delivery.id, address: c.delivery.address, recipientName: c.delivery.name ?? c.contact?.name,
            subject: r.subject, text: r.text, html: r.html, body: r.json)
        if channel.kind == .email {
            let email = try self.email ?? EmailComposer(config: config)
            m.mime = try email.build(
                c, rendered: r, unsubscribeURL: ctx["unsubscribe_url"]?.stringValue, calendar: calendarPart(c))
            // With a bounce address the envelope names the delivery, signed, so a bounce is
            // attributed even when the relay returns nothing of the message.
            m.envelopeFrom =
                channel.bounceAddress.map {
                    VERPToken(key: links.key).returnPath(bounceAddress: $0, delivery: c.delivery.id)
                } ?? email.envelopeFrom
        }
        return m
    }
}
