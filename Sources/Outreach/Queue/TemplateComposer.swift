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

    /// What the template sees, written in `locale` (the locale of the template variant rendered;
    /// nil: the recipient's): the `[sender]` defaults, under the list's data, under the message's
    /// own (an event's data is in its messages'), per-language values in `locale`, then `contact`, `event`, `list` (`name`, and
    /// `title` in `locale`), `unsubscribe_url`, `confirm_url`, and `preferences_url` in list, test and event
    /// mail to a contact (every mail with a footer; not in transactional mail such as a confirmation).
    public func context(_ c: ClaimedDelivery, locale: String? = nil) -> JSON {
        let locale = locale ?? c.delivery.locale ?? c.contact?.locale
        var o = TemplateContext.data(
            defaults: config.templateDefaults, list: c.message.listDetails, message: c.message.data, locale: locale,
            defaultLocale: library.defaultLocale)
        var contact =
            c.contact ?? Contact(name: c.delivery.name, locale: c.delivery.locale, timeZone: c.delivery.timeZone)
        if contact.email == nil, c.delivery.address.contains("@") { contact.email = c.delivery.address }
        if contact.phone == nil, c.delivery.address.hasPrefix("+") { contact.phone = c.delivery.address }
        o["contact"] = contact.templateValue
        addEvent(c, locale: locale, to: &o)
        if let list = c.message.listName {
            o["list"] = TemplateContext.list(name: list, details: c.message.listDetails, locale: locale)
            o["unsubscribe_url"] = .string(
                links.unsubscribeURL(list: list, address: c.delivery.address, contactID: c.delivery.contactID))
            // Only confirmations (transactional) need a confirm link; list mail skips the signing.
            if c.message.kind == .transactional {
                o["confirm_url"] = .string(
                    links.confirmURL(list: list, address: c.delivery.address, contactID: c.delivery.contactID))
            }
        }
        if let id = c.delivery.contactID, c.message.kind.composedAsListMail || c.message.eventID != nil {
            o["preferences_url"] = .string(links.preferencesURL(address: c.delivery.address, contactID: id))
        }
        return .object(o)
    }

    public func compose(_ c: ClaimedDelivery, for channel: any Channel) throws -> OutgoingMessage {
        let requested = c.delivery.locale ?? c.contact?.locale
        // Dates, numbers and titles are written in the language of the variant rendered, so a
        // reader whose language has no template gets them in the template's (issue 18.7).
        let locale =
            library.resolvedLocale(c.message.template, kind: channel.kind, locale: requested) ?? requested
        let ctx = context(c, locale: locale)
        // Rendered for the locale already resolved, which resolves to itself at once: resolving
        // `requested` again walked its fallback chain a second time (when there is none, `locale`
        // is `requested`).
        var r = try library.render(c.message.template, kind: channel.kind, locale: locale, context: ctx)
        if c.message.kind == .test { r = CampaignTestSend.marked(r) }
        var m = OutgoingMessage(
            deliveryID: c.delivery.id, address: c.delivery.address, recipientName: c.delivery.name ?? c.contact?.name,
            subject: r.subject, text: r.text, html: r.html, body: r.json)
        m.approvedTemplate = r.approvedTemplate
        if channel.kind == .email {
            let email = try self.email ?? EmailComposer(config: config)
            m.mime = try email.build(
                c, rendered: r, unsubscribeURL: ctx["unsubscribe_url"]?.stringValue,
                calendar: calendarPart(c, locale: locale))
            // With a bounce address the envelope names the delivery, signed, so a bounce is
            // attributed even when the relay returns nothing of the message.
            m.envelopeFrom =
                channel.bounceAddress.map {
                    links.verp.returnPath(bounceAddress: $0, delivery: c.delivery.id)
                } ?? email.envelopeFrom
        }
        return m
    }
}
