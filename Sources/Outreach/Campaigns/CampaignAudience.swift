/// Who a campaign reaches if it starts now, counted by its fan-out's own rule
/// (`CampaignStore.audience(campaign:)`): the list's members, who of them the segment selects, and
/// per channel who gets a message (by language), whose address is suppressed and who has none.
public struct CampaignAudience: Sendable, Equatable {
    /// How many recipients of one channel have one language, and the first of them.
    public struct LocaleCount: Sendable, Equatable {
        /// The contact's language; nil when none is set (they get the default language).
        public var locale: String?
        public var count: Int
        /// The recipient with the lowest contact id, for a sample message; nil for a room.
        public var firstContactID: Int64?

        public init(locale: String?, count: Int, firstContactID: Int64?) {
            self.locale = locale
            self.count = count
            self.firstContactID = firstContactID
        }
    }

    /// One group of a channel's selected members, as the store counts them: those of one language
    /// with an address (suppressed for a reason, or not), or those without an address.
    public struct Group: Sendable, Equatable {
        public var locale: String?
        /// False for members with no address on the channel (no phone for SMS).
        public var hasAddress: Bool
        /// The suppression's reason (`bounce`, `complaint`, …); nil when the address is not suppressed.
        public var suppression: String?
        /// Distinct addresses (one delivery each) when `hasAddress`, else members.
        public var count: Int
        public var firstContactID: Int64?

        public init(locale: String?, hasAddress: Bool, suppression: String?, count: Int, firstContactID: Int64?) {
            self.locale = locale
            self.hasAddress = hasAddress
            self.suppression = suppression
            self.count = count
            self.firstContactID = firstContactID
        }
    }

    /// What one channel of the campaign reaches.
    public struct ChannelAudience: Sendable, Equatable {
        public var channel: CampaignChannel
        /// Recipients by language, languages in order (none set first).
        public var locales: [LocaleCount]
        /// Suppressed addresses by the suppression's reason: stored as `suppressed`, never sent.
        public var suppressed: [String: Int]
        /// Selected members without an address on this channel.
        public var noAddress: Int

        /// Messages this channel sends.
        public var recipients: Int { locales.reduce(0) { $0 + $1.count } }
        /// Suppressed addresses, whatever the reason.
        public var suppressedCount: Int { suppressed.values.reduce(0, +) }

        /// A room channel: one post, whoever is on the list.
        public init(room channel: CampaignChannel) {
            self.channel = channel
            locales = [LocaleCount(locale: nil, count: 1, firstContactID: nil)]
            suppressed = [:]
            noAddress = 0
        }

        /// A channel that writes to each person, from the store's groups.
        public init(channel: CampaignChannel, groups: [Group]) {
            self.channel = channel
            var byLocale: [String?: LocaleCount] = [:]
            var suppressed: [String: Int] = [:]
            var noAddress = 0
            for g in groups {
                if !g.hasAddress {
                    noAddress += g.count
                } else if let reason = g.suppression {
                    suppressed[reason, default: 0] += g.count
                } else {
                    var l = byLocale[g.locale] ?? LocaleCount(locale: g.locale, count: 0, firstContactID: nil)
                    l.count += g.count
                    l.firstContactID = [l.firstContactID, g.firstContactID].compactMap { $0 }.min()
                    byLocale[g.locale] = l
                }
            }
            self.locales = byLocale.values.filter { $0.count > 0 }.sorted { ($0.locale ?? "") < ($1.locale ?? "") }
            self.suppressed = suppressed
            self.noAddress = noAddress
        }
    }

    /// Subscribed members of the list.
    public var members: Int
    /// Of those, the ones the segment selects.
    public var selected: Int
    /// Members who left the list: never reached.
    public var unsubscribed: Int
    /// Members who have not confirmed yet (double opt-in): not reached until they do.
    public var pending: Int
    /// Per channel, in the campaign's order.
    public var channels: [ChannelAudience]

    public init(members: Int, selected: Int, unsubscribed: Int, pending: Int, channels: [ChannelAudience]) {
        self.members = members
        self.selected = selected
        self.unsubscribed = unsubscribed
        self.pending = pending
        self.channels = channels
    }

    /// What a start of the campaign would report had nothing been queued for it yet: the same
    /// counts `CampaignStore.fanOut` returns.
    public var fanOut: FanOut {
        var f = FanOut()
        f.queued = channels.reduce(0) { $0 + $1.recipients }
        f.suppressed = channels.reduce(0) { $0 + $1.suppressedCount }
        f.noAddress = channels.reduce(0) { $0 + $1.noAddress }
        return f
    }
}

extension CampaignAudience {
    /// A backend's counts put together, the same for every store.
    /// - Parameters:
    ///   - channels: the campaign's channels, in order.
    ///   - memberships: the list's members by membership state (`subscribed`, `pending`, …).
    ///   - selected: the subscribed members the segment selects.
    ///   - groups: the store's groups of a channel that writes to each person.
    public init(
        channels: [CampaignChannel], memberships: [String: Int], selected: Int,
        groups: (CampaignChannel) throws -> [Group]
    ) rethrows {
        self.init(
            members: memberships[MembershipState.subscribed.rawValue] ?? 0, selected: selected,
            unsubscribed: memberships[MembershipState.unsubscribed.rawValue] ?? 0,
            pending: memberships[MembershipState.pending.rawValue] ?? 0,
            channels: try channels.map { ch in
                ch.address == .room ? ChannelAudience(room: ch) : ChannelAudience(channel: ch, groups: try groups(ch))
            })
    }
}
