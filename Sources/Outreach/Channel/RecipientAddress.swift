/// Which address a recipient has on a channel: the one rule, used by `send`, the API's triggers,
/// sign-ups, campaign and event fan-outs.
public enum RecipientAddress {
    /// The address every room delivery carries: a room has no per-person address.
    public static let room = "room"

    /// Which field of a recipient a channel sends to: the room, a contact attribute (chat ids),
    /// the email, or the phone.
    public static func field(kind: ChannelKind, target: ChannelTarget, attribute: String?) -> (
        CampaignChannel.Address, String?
    ) {
        if target == .room { return (.room, nil) }
        if let attribute { return (.attribute, attribute) }
        switch kind {
        case .email: return (.email, nil)
        case .sms: return (.phone, nil)
        // A chat channel that posts to each person names the attribute holding their id; without
        // one, only an address given with the recipient (an API trigger's `address`) can serve.
        case .chat: return (.attribute, nil)
        }
    }

    /// The recipient's address on a channel, or nil when they have none for it. `explicit` is an
    /// address given with an ad-hoc recipient (the API's `address`), standing for the attribute.
    public static func resolve(
        email: String?, phone: String?, attributes: [String: String] = [:], explicit: String? = nil,
        kind: ChannelKind, target: ChannelTarget, attribute: String?
    ) -> String? {
        switch field(kind: kind, target: target, attribute: attribute) {
        case (.room, _): return room
        case (.email, _): return email
        case (.phone, _): return phone
        case (.attribute, let a): return a.flatMap { attributes[$0] } ?? explicit
        }
    }

    /// The address of someone named only by their email or phone (`send --to`, not a stored
    /// contact): on a chat channel what they were named by stands for the attribute.
    public static func resolve(adHoc contact: Contact, on channel: any Channel) -> String? {
        resolve(
            email: contact.email, phone: contact.phone, explicit: contact.email ?? contact.phone,
            kind: channel.kind, target: channel.target, attribute: channel.addressAttribute)
    }

    /// The address of a send that names no recipient (`send --channel ROOM` without `--to`, a trigger
    /// without `to`): the room's, when every channel it goes to posts to a room; nil when one of them
    /// writes to each person, which needs a recipient.
    public static func withoutRecipient(targets: [ChannelTarget]) -> String? {
        !targets.isEmpty && targets.allSatisfy { $0 == .room } ? room : nil
    }

    /// `contact`'s address on `channel`.
    public static func resolve(_ contact: Contact, on channel: any Channel) -> String? {
        resolve(
            email: contact.email, phone: contact.phone, attributes: contact.attributes,
            kind: channel.kind, target: channel.target, attribute: channel.addressAttribute)
    }
}

/// Which channel a recipient gets when none is named (`send` without `--channel`, a trigger
/// without `channels`): per kind, the first channel by name that writes to each contact. A room
/// channel is never a default: it would post a person's message to everyone in the room.
public enum DefaultChannel {
    /// - Parameter channels: name, kind and target of every configured channel.
    /// - Returns: per kind, the name of the default channel.
    public static func names(_ channels: [(name: String, kind: ChannelKind, target: ChannelTarget)]) -> [ChannelKind:
        String]
    {
        var out: [ChannelKind: String] = [:]
        for c in channels.sorted(by: { $0.name < $1.name }) where c.target == .contact && out[c.kind] == nil {
            out[c.kind] = c.name
        }
        return out
    }
}
