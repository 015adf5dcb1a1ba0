/// A person Outreach can reach: by email, by phone (E.164), or both.
public struct Contact: Sendable, Equatable {
    public var id: Int64?
    public var email: String?
    public var phone: String?
    public var name: String?
    /// BCP 47 tag (`da`, `pt-BR`).
    public var locale: String?
    /// IANA zone (`Europe/Copenhagen`).
    public var timeZone: String?
    public var attributes: [String: String]
    /// Which channel they get when an event has one for their email and one for their phone.
    public var preferredChannel: ChannelPreference?

    public init(
        id: Int64? = nil, email: String? = nil, phone: String? = nil, name: String? = nil,
        locale: String? = nil, timeZone: String? = nil, attributes: [String: String] = [:],
        preferredChannel: ChannelPreference? = nil
    ) {
        self.preferredChannel = preferredChannel
        self.id = id
        self.email = email
        self.phone = phone
        self.name = name
        self.locale = locale
        self.timeZone = timeZone
        self.attributes = attributes
    }

    public var firstName: String? {
        // The first word as `split(separator: " ").first` finds it, without splitting the rest.
        guard let name, let start = name.firstIndex(where: { $0 != " " }) else { return nil }
        return String(name[start..<(name[start...].firstIndex(of: " ") ?? name.endIndex)])
    }

    /// The contact as a template sees it under `contact`.
    public var templateValue: JSON {
        // Room for every key at once: growing a dictionary rehashes what it holds.
        var o = [String: JSON](minimumCapacity: 8)
        o["attributes"] = .object(attributes.mapValues { .string($0) })
        if let id { o["id"] = .number(String(id)) }
        if let email { o["email"] = .string(email) }
        if let phone { o["phone"] = .string(phone) }
        if let name { o["name"] = .string(name) }
        if let firstName { o["first_name"] = .string(firstName) }
        if let locale { o["locale"] = .string(locale) }
        if let timeZone { o["timezone"] = .string(timeZone) }
        return .object(o)
    }

    public var json: JSON {
        var o: [String: JSON] = templateValue.objectValue ?? [:]
        o["first_name"] = nil
        if let preferredChannel { o["preferred_channel"] = .string(preferredChannel.rawValue) }
        return .object(o)
    }
}
