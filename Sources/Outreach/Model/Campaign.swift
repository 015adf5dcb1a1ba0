/// A template sent to a list over one or more channels, now or at a time.
public struct Campaign: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        /// Created, not started.
        case draft
        /// Started with a time in the future; fans out and sends at `sendAt`.
        case scheduled
        /// Runs by itself at each occurrence of its `recurrence` (the first at `sendAt`); after the
        /// last run it is `running`, then `finished`.
        case recurring
        /// Sending: some delivery is still queued, being sent, or waiting for a retry.
        case running
        /// Held by the officer (or found far past its time); `resume` sends on.
        case paused
        /// Was running, and no delivery is pending any more: each was sent, failed for good,
        /// or was cancelled.
        case finished
        case cancelled
    }

    public var id: Int64?
    public var name: String
    public var messageID: Int64?
    public var list: String
    /// Channel names with the contact field each one addresses (`email`, `phone`, or `room`).
    public var channels: [CampaignChannel]
    /// Who of the list it reaches (`--where`); empty for every subscribed member.
    public var segment: Segment
    /// Milliseconds since 1970; nil = when started.
    public var sendAt: Int64?
    public var state: State
    public var createdAt: Int64
    public var startedAt: Int64?
    /// Paused because the daemon found it far past its scheduled time; `resume` sends it.
    public var missedItsTime = false
    /// Set for a recurring campaign (`--every`): each occurrence is a run of its own
    /// (`CampaignRunStore`), and `sendAt` is the first.
    public var recurrence: CampaignRecurrence?

    public init(
        name: String, list: String, channels: [CampaignChannel], segment: Segment = Segment(), sendAt: Int64? = nil
    ) {
        self.name = name
        self.list = list
        self.channels = channels
        self.segment = segment
        self.sendAt = sendAt
        self.state = .draft
        self.createdAt = WallClock.nowMillis()
    }
}

extension Campaign {
    /// The state it is stored in before anything is queued for it: `recurring` with a recurrence,
    /// `scheduled` when it is so, else `draft`.
    public var unstartedState: State {
        if recurrence != nil { return .recurring }
        return state == .scheduled ? .scheduled : .draft
    }

    /// This campaign with `changes`' segment and send time, as `CampaignStore.updateCampaign`
    /// stores it: `recurring` with a recurrence, `scheduled` with a send time, else a draft, no
    /// longer held for a missed time.
    public func edited(by changes: Campaign) -> Campaign {
        var c = self
        c.segment = changes.segment
        c.sendAt = changes.sendAt
        c.recurrence = changes.recurrence
        c.state = changes.recurrence != nil ? .recurring : changes.sendAt == nil ? .draft : .scheduled
        c.missedItsTime = false
        return c
    }
}

/// What the first claim at or after a scheduled campaign's time does with it.
public enum ScheduledStart: Sendable, Equatable {
    /// Far past its time (the daemon was down): held for the officer, paused, nothing sent late.
    case hold
    /// Never fanned out (created with a time): fanned out now, with the list as it is now; a draft
    /// again, nothing queued, if it reaches nobody.
    case fanOut
    /// Fanned out early (`start` before its time): its deliveries are due; it is running.
    case run

    /// - Parameters:
    ///   - campaign: a `scheduled` campaign whose `sendAt` has come.
    ///   - grace: `[campaigns] grace`: how late it may still start.
    public init(_ campaign: Campaign, now: Int64, grace: Int64) {
        if now - (campaign.sendAt ?? now) > grace {
            self = .hold
        } else {
            self = campaign.startedAt == nil ? .fanOut : .run
        }
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

/// Why a campaign reaches nobody: the funnel from the list to the addresses, each step counted.
public struct CampaignReach: Sendable, Equatable {
    /// Subscribed members of the list.
    public var members = 0
    /// Of those, the ones the segment selects.
    public var matching = 0
    /// Of those, the ones with an address for at least one of the campaign's channels.
    public var withAddress = 0
    /// Of those, the ones whose every address is suppressed.
    public var suppressed = 0
    /// The counts, each step a part of the one before.
    public init(members: Int = 0, matching: Int = 0, withAddress: Int = 0, suppressed: Int = 0) {
        self.members = members
        self.matching = matching
        self.withAddress = withAddress
        self.suppressed = suppressed
    }
}

/// What `campaigns start` did.
public struct FanOut: Sendable, Equatable {
    public var queued = 0
    public var suppressed = 0
    /// Recipients without an address for a channel (no phone for SMS, say).
    public var noAddress = 0
    /// Of an event's fan-out: members no channel reaches who have only a phone (the event has no
    /// SMS channel) or only an email (it has no email channel).
    public var phoneOnly = 0
    public var emailOnly = 0
    public init() {}
}
