/// `campaigns test`: a campaign's message sent to one address to look at. It is the real message —
/// template, data, attachments, footer and unsubscribe link, through the queue and the channel
/// (DKIM and all) — stored as a message of its own of kind `test`: no campaign counts it, its
/// subject is marked `[Test] `, and the queue checks it as transactional mail (the address is on
/// no list, so list mail would be refused; a bounce or complaint suppression still stops it).
public struct CampaignTestSend {
    /// Put before a test message's subject (or, with no subject, its text).
    public static let mark = "[Test] "

    public let store: any CampaignStore & ContactStore & DeliveryQueue
    public let channels: [String: any Channel]
    public let templates: TemplateCheck
    /// Reads an address that is not a contact's, as `send` does.
    public let validator: ContactValidator

    public init(
        store: any CampaignStore & ContactStore & DeliveryQueue, channels: [String: any Channel],
        templates: TemplateCheck, validator: ContactValidator
    ) {
        self.store = store
        self.channels = channels
        self.templates = templates
        self.validator = validator
    }

    /// What was queued: the test message and its one delivery.
    public struct Queued: Sendable {
        public var messageID: Int64
        public var delivery: NewDelivery
    }

    /// Queues the campaign's message to `address` on one of the campaign's channels.
    /// - Parameters:
    ///   - address: an email or phone, or a contact's id, email or phone (their name and
    ///     language are used).
    ///   - channel: one of the campaign's channels; nil for the first that can send to `address`,
    ///     channels of the address's kind first.
    ///   - locale: the language to send in; nil for the contact's, else the default.
    /// - Throws: `CampaignError.unknown`, `CampaignError.invalid` when no channel of the campaign
    ///   can send to the address, `ContactError` for an address that is none, `TemplateError`.
    public func queue(campaign name: String, to address: String, channel: String? = nil, locale: String? = nil)
        throws -> Queued
    {
        guard let campaign = try store.campaign(named: name), let messageID = campaign.messageID,
            let stored = try store.message(id: messageID)
        else { throw CampaignError.unknown(name) }
        let contact = try store.contact(matching: address)
        let adHoc: Contact?
        if contact == nil {
            let isEmail = address.contains("@")
            adHoc = try validator.contact(
                email: isEmail ? address : nil, phone: isEmail ? nil : address, name: nil, locale: nil,
                timeZone: nil, attributes: [:])
        } else {
            adHoc = nil
        }
        let kind: ChannelKind = (contact?.email ?? adHoc?.email) != nil ? .email : .sms
        var candidates = campaign.channels.filter { $0.address != .room }.compactMap { channels[$0.name] }
        if let channel {
            guard campaign.channels.contains(where: { $0.name == channel }) else {
                throw CampaignError.invalid(
                    "The campaign '\(name)' does not go over channel '\(channel)'; its channels are "
                        + campaign.channels.map(\.name).joined(separator: ", ") + ".")
            }
            candidates = candidates.filter { $0.name == channel }
        } else {
            // An email goes by email, a phone by SMS, before any chat channel that would take it too.
            candidates = candidates.filter { $0.kind == kind } + candidates.filter { $0.kind != kind }
        }
        var target: (channel: any Channel, address: String)?
        for ch in candidates {
            let resolved =
                contact.map { RecipientAddress.resolve($0, on: ch) }
                ?? adHoc.flatMap {
                    RecipientAddress.resolve(adHoc: $0, on: ch)
                }
            if let resolved {
                target = (ch, resolved)
                break
            }
        }
        guard let target else {
            let described = campaign.channels.map { "\($0.name) (\($0.attribute ?? $0.address.rawValue))" }
            throw CampaignError.invalid(
                "No channel of the campaign '\(name)' can send a test to \(address): its channels are "
                    + described.joined(separator: ", ") + ".")
        }
        let language = locale.map(Locales.canonical) ?? contact?.locale
        try templates.check(template: stored.template, channel: target.channel, locale: language, data: stored.data)
        let delivery = NewDelivery(
            channel: target.channel.name, address: target.address, contactID: contact?.id, name: contact?.name,
            locale: language, timeZone: contact?.timeZone)
        let message = Message(
            template: stored.template, data: stored.data, kind: .test, listName: campaign.list,
            attachments: stored.attachments)
        let result = try store.enqueue(message, deliveries: [delivery], idempotency: nil)
        return Queued(messageID: result.messageID, delivery: delivery)
    }

    /// A test message as rendered, marked: the subject when it has one, else the text.
    public static func marked(_ r: RenderedTemplate) -> RenderedTemplate {
        var m = r
        if let s = r.subject {
            m.subject = mark + s
        } else if !r.text.isEmpty {
            m.text = mark + r.text
        }
        return m
    }
}
