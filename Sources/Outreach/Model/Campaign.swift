/// A template sent to a list over one or more channels, now or at a time.
public struct Campaign: Sendable, Equatable {
    public enum State: String, Sendable {
        /// Created, not started.
        case draft
        /// Started with a time in the future; fans out and sends at `sendAt`.
        case scheduled
        case running, paused, cancelled
    }

    public var id: Int64?
    public var name: String
    public var messageID: Int64?
    public var list: String
    /// Channel names with the contact field each one addresses (`email`, `phone`, or `room`).
    public var channels: [CampaignChannel]
    /// `--where attr=value` filters on contact attributes.
    public var filters: [String: String]
    /// Milliseconds since 1970; nil = when started.
    public var sendAt: Int64?
    public var state: State
    public var createdAt: Int64
    public var startedAt: Int64?
    /// Paused because the daemon found it far past its scheduled time; `resume` sends it.
    public var missedItsTime = false

    public init(
        name: String, list: String, channels: [CampaignChannel], filters: [String: String] = [:], sendAt: Int64? = nil
    ) {
        self.name = name
        self.list = list
        self.channels = channels
        self.filters = filters
        self.sendAt = sendAt
        self.state = .draft
        self.createdAt = WallClock.nowMillis()
    }
}

/// A campaign's channel and which contact field it sends to.
public struct CampaignChannel: Sendable, Equatable {
    public enum Address: String, Sendable { case email, phone, room, attribute }
    public var name: String
    public var address: Address
    /// For `.attribute`: the contact attribute holding the address (a chat id, say).
    public var attribute: String?
    public init(name: String, address: Address, attribute: String? = nil) {
        self.name = name
        self.address = address
        self.attribute = attribute
    }

    /// How a channel addresses a campaign's recipients (`RecipientAddress.field`).
    public init(channel: any Channel) {
        let (address, attribute) = RecipientAddress.field(
            kind: channel.kind, target: channel.target,
            attribute: channel.addressAttribute)
        self.init(name: channel.name, address: address, attribute: attribute)
    }
}

/// What `campaigns start` did.
public struct FanOut: Sendable, Equatable {
    public var queued = 0
    public var suppressed = 0
    /// Recipients without an address for a channel (no phone for SMS, say).
    public var noAddress = 0
    public init() {}
}
