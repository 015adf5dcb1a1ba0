/// Which of their two addresses someone with both an email and a phone is written to when a send
/// (an event) has a channel for each: a contact's `preferred_channel`, an event's `--prefer`.
public enum ChannelPreference: String, Sendable, CaseIterable {
    case email, sms

    /// The contact field the preferred channels write to.
    public var address: CampaignChannel.Address { self == .email ? .email : .phone }

    /// Parses `email` or `sms` (any case, blank is none).
    /// - Throws: `ContactError.badPreferredChannel`.
    public static func parse(_ text: String?) throws(ContactError) -> ChannelPreference? {
        guard let t = text?.trimmingCharacters(in: .whitespaces), !t.isEmpty else { return nil }
        guard let p = ChannelPreference(rawValue: t.lowercased()) else { throw .badPreferredChannel(t) }
        return p
    }
}

extension RecipientAddress {
    /// Who one channel of a send leaves out so that nobody gets it twice: when the send also has a
    /// channel writing to the other of email and phone, a person with both addresses gets only the
    /// one of their preference, else of the send's `fallback`. A stored preference the send has
    /// no channel for never leaves anyone out: they get the channel there is.
    public struct Choice: Sendable, Equatable {
        /// The other address the person must also have to be left out.
        public var other: CampaignChannel.Address
        /// Left out when their preference (or, without one, the fallback) is this.
        public var leftOutWhenPreferring: ChannelPreference
        public var fallback: ChannelPreference
    }

    /// The choice applying to `channel` among `channels`, or nil when everyone with an address gets it.
    public static func choice(
        for channel: CampaignChannel, among channels: [CampaignChannel], fallback: ChannelPreference
    ) -> Choice? {
        let pair: [CampaignChannel.Address] = [.email, .phone]
        guard pair.contains(channel.address) else { return nil }
        let other: CampaignChannel.Address = channel.address == .email ? .phone : .email
        guard channels.contains(where: { $0.address == other }) else { return nil }
        return Choice(
            other: other, leftOutWhenPreferring: other == .email ? .email : .sms, fallback: fallback)
    }

    /// Whether `contact` gets `channel` of a send on `channels` (the rule the stores apply in SQL).
    public static func gets(
        _ contact: Contact, _ channel: CampaignChannel, among channels: [CampaignChannel], fallback: ChannelPreference
    ) -> Bool {
        guard let c = choice(for: channel, among: channels, fallback: fallback) else { return true }
        let hasOther = (c.other == .email ? contact.email : contact.phone) != nil
        return !(hasOther && (contact.preferredChannel ?? c.fallback) == c.leftOutWhenPreferring)
    }
}
