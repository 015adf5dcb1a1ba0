/// `campaigns preview`: who a campaign reaches (`CampaignStore.audience`, the fan-out's own rule)
/// and, per channel, one message rendered as it will be sent — by the composer the worker uses,
/// with the recipient's unsubscribe link, headers and attachments. Nothing is stored or queued.
public struct CampaignPreview {
    /// One channel's message to one recipient.
    public struct Sample: Sendable {
        public var channel: String
        /// The recipient, when it is a contact (nil for a room).
        public var contact: Contact?
        /// The language it is rendered for: `--locale`, else the contact's (nil: the default).
        public var locale: String?
        public var message: OutgoingMessage

        /// An email's header block as it leaves us (a DKIM signature is added by the channel).
        public var headers: String? {
            guard let mime = message.mime else { return nil }
            let end = mime.indices.first { i in
                i + 3 < mime.count && mime[i] == 13 && mime[i + 1] == 10 && mime[i + 2] == 13 && mime[i + 3] == 10
            }
            return String(decoding: mime[..<(end ?? mime.count)], as: UTF8.self)
        }
    }

    public let store: any CampaignStore & ContactStore & DeliveryQueue
    public let composer: any DeliveryComposer
    public let channels: [String: any Channel]

    public init(
        store: any CampaignStore & ContactStore & DeliveryQueue, composer: any DeliveryComposer,
        channels: [String: any Channel]
    ) {
        self.store = store
        self.composer = composer
        self.channels = channels
    }

    /// One message per channel of the campaign: to `contact` when given (channels on which they have
    /// no address are left out), else to the first recipient of the channel (of `locale`, when some
    /// speak it). A channel that reaches nobody has no sample.
    /// - Parameters:
    ///   - audience: the campaign's audience, as `CampaignStore.audience` counted it.
    ///   - contact: a contact's id, email or phone.
    ///   - locale: render in this language instead of the recipient's.
    /// - Throws: `StoreError.unknownContact`, `UnknownChannel` for a channel no longer configured,
    ///   and what rendering throws (`TemplateError`, `MIMEError`).
    public func samples(of campaign: Campaign, audience: CampaignAudience, contact: String?, locale: String?) throws
        -> [Sample]
    {
        guard let messageID = campaign.messageID, let message = try store.message(id: messageID) else {
            throw CampaignError.unknown(campaign.name)
        }
        let named = try contact.map { key in
            guard let c = try store.contact(matching: key) else { throw StoreError.unknownContact(key) }
            return c
        }
        let language = locale.map(Locales.canonical)
        var out: [Sample] = []
        for reached in audience.channels {
            guard let channel = channels[reached.channel.name] else {
                throw UnknownChannel(reached.channel.name, configured: channels.keys)
            }
            var recipient: Contact?
            if reached.channel.address != .room {
                guard let c = try named ?? first(of: reached, speaking: language) else { continue }
                recipient = c
            }
            guard let address = recipient.map({ RecipientAddress.resolve($0, on: channel) }) ?? RecipientAddress.room
            else { continue }
            let now = WallClock.nowMillis()
            let delivery = Delivery(
                id: 0, messageID: messageID, contactID: recipient?.id, channel: channel.name, address: address,
                name: recipient?.name, locale: language ?? recipient?.locale, timeZone: recipient?.timeZone,
                state: .queued, attempts: 0, nextAttemptAt: now, lastError: nil, providerID: nil, createdAt: now,
                updatedAt: now, sentAt: nil)
            let composed = try composer.compose(
                ClaimedDelivery(delivery: delivery, message: message, contact: recipient), for: channel)
            out.append(Sample(channel: channel.name, contact: recipient, locale: delivery.locale, message: composed))
        }
        return out
    }

    /// The channel's recipient with the lowest contact id, among those whose language is `locale`
    /// (`de` also takes `de-AT`) when any is.
    func first(of reached: CampaignAudience.ChannelAudience, speaking locale: String?) throws -> Contact? {
        let speaking = reached.locales.filter { l in
            guard let locale, let have = l.locale?.lowercased() else { return false }
            return have == locale.lowercased() || have.hasPrefix(locale.lowercased() + "-")
        }
        let pool = speaking.isEmpty ? reached.locales : speaking
        guard let id = pool.compactMap(\.firstContactID).min() else { return nil }
        return try store.contact(matching: String(id))
    }
}
