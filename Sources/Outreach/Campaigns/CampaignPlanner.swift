import Foundation

/// What an officer asks for when creating a campaign, before it is checked.
public struct CampaignDraft: Sendable {
    public var name: String
    public var template: String
    public var list: String
    public var channels: [String]
    /// `key=value` and `key!=value` conditions on who of the list is reached (`Segment`).
    public var conditions: [String]
    /// When to send (ms since 1970); nil when started by hand.
    public var sendAt: Int64?
    /// `sendAt` as the officer wrote it, for messages; nil to show it as RFC 3339.
    public var sendAtText: String?
    /// Send at once even though `sendAt` is in the past.
    public var sendNow: Bool
    /// Paths of files attached to every message.
    public var attachments: [String]
    /// Template data shared by every message.
    public var data: JSON
    /// Runs at each occurrence (`--every`); its first is `sendAt`.
    public var recurrence: CampaignRecurrence?

    /// What `campaigns create` was given; nothing is checked yet.
    public init(
        name: String, template: String, list: String, channels: [String], conditions: [String] = [],
        sendAt: Int64? = nil, sendAtText: String? = nil, sendNow: Bool = false, attachments: [String] = [],
        data: JSON = .object([:]), recurrence: CampaignRecurrence? = nil
    ) {
        self.recurrence = recurrence
        self.name = name
        self.template = template
        self.list = list
        self.channels = channels
        self.conditions = conditions
        self.sendAt = sendAt
        self.sendAtText = sendAtText
        self.sendNow = sendNow
        self.attachments = attachments
        self.data = data
    }
}

/// Creating a campaign: everything is checked before anything is stored — the list and template
/// exist, the send time is not past, the `--where` keys exist (`Segment`), every channel is
/// configured, attachments are readable, and the template renders for every language in the
/// audience on every channel.
public struct CampaignPlanner {
    /// A send time this close behind the clock counts as now (a time typed to the minute, for this minute).
    public static let pastTolerance: Int64 = 60_000

    public let store: any CampaignStore & ConsentStore & ContactStore & DeliveryQueue
    public let templates: TemplateCheck
    public let channels: [String: any Channel]
    /// Named in the message for a missing template.
    public let templatesDirectory: String

    public init(
        store: any CampaignStore & ConsentStore & ContactStore & DeliveryQueue, templates: TemplateCheck,
        channels: [String: any Channel],
        templatesDirectory: String
    ) {
        self.store = store
        self.templates = templates
        self.channels = channels
        self.templatesDirectory = templatesDirectory
    }

    /// Checks `draft` and stores it as a campaign that is not started: a draft, or `scheduled` when
    /// it has a send time (the first claim after it then fans it out; no `start` is needed).
    /// - Parameter now: the current instant (ms since 1970), for the send time.
    /// - Returns: the campaign stored.
    /// - Throws: `StoreError.unknownList`, `UnknownChannel`, `CampaignError.invalid` naming what to fix,
    ///   `CampaignError.inThePast`, `SegmentError`, `AttachmentError`, `CampaignError.exists`.
    public func create(_ draft: CampaignDraft, now: Int64 = WallClock.nowMillis()) throws -> Campaign {
        let (campaignChannels, segment) = try check(draft, now: now)
        let attachments = try Attachments.checked(draft.attachments)
        let sendAt = draft.recurrence?.firstAt ?? draft.sendAt.flatMap { draft.sendNow && $0 < now ? nil : $0 }
        var campaign = Campaign(
            name: draft.name, list: draft.list, channels: campaignChannels, segment: segment, sendAt: sendAt)
        // With a time it needs no `start`: the first claim after that time fans it out.
        if sendAt != nil { campaign.state = .scheduled }
        // Recurring: each run starts by itself (`CampaignRunner`).
        if let recurrence = draft.recurrence {
            campaign.recurrence = recurrence
            campaign.state = .recurring
        }
        return try store.createCampaign(
            campaign,
            message: Message(
                template: draft.template, data: draft.data, kind: .list, listName: draft.list,
                attachments: attachments))
    }

    /// Every check `create` makes, storing nothing.
    /// - Returns: the campaign's channels and its segment, checked.
    @discardableResult
    public func check(_ draft: CampaignDraft, now: Int64 = WallClock.nowMillis()) throws -> (
        channels: [CampaignChannel], segment: Segment
    ) {
        guard let list = try store.list(named: draft.list) else { throw StoreError.unknownList(draft.list) }
        if let r = draft.recurrence {
            guard !draft.sendNow else {
                throw CampaignError.invalid("--now: a recurring campaign runs at its times; give an --at ahead.")
            }
            if r.firstAt < now - Self.pastTolerance { throw CampaignError.inThePast(draft.sendAtText ?? "\(r.start)") }
        }
        if let at = draft.sendAt, at < now - Self.pastTolerance, !draft.sendNow {
            throw CampaignError.inThePast(draft.sendAtText ?? WallClock.rfc3339(at))
        }
        var segment = try Segment.parse(draft.conditions)
        if !segment.isEmpty {
            let needsAttributes = segment.conditions.contains {
                if case .attribute = $0.field { return true } else { return false }
            }
            segment = try segment.checked(
                attributes: needsAttributes ? Set(try store.attributeKeys()) : [],
                lists: Set(try store.lists().map(\.name)))
        }
        guard templates.library.has(draft.template) else {
            throw CampaignError.invalid("There is no template '\(draft.template)' in \(templatesDirectory).")
        }
        var campaignChannels: [CampaignChannel] = []
        for n in draft.channels {
            guard let ch = channels[n] else {
                throw UnknownChannel(n, configured: channels.keys)
            }
            campaignChannels.append(CampaignChannel(channel: ch))
        }
        try Attachments.checked(draft.attachments)
        // Render once for every language in the audience and every channel.
        let locales = try store.audienceLocales(list: draft.list)
        for ch in campaignChannels {
            for l in locales + [nil] {
                do {
                    try templates.check(
                        template: draft.template, channel: channels[ch.name]!, locale: l, data: draft.data, list: list)
                } catch {
                    let reason = "\(error)"
                    throw CampaignError.invalid(
                        "The template '\(draft.template)' does not render for \(l ?? "the default language") "
                            + "on channel \(ch.name): \(reason.hasSuffix(".") ? String(reason.dropLast()) : reason).")
                }
            }
        }
        return (campaignChannels, segment)
    }
}

/// What `campaigns update` changes; nil leaves a field as it is.
public struct CampaignChanges: Sendable {
    public var template: String?
    /// Every condition anew (`[]`: the whole list).
    public var conditions: [String]?
    /// A new send time; `.some(nil)` takes the time away (a draft again).
    public var sendAt: Int64??
    /// The new send time as the officer wrote it, for messages.
    public var sendAtText: String?
    /// Send at once even though the new `sendAt` is in the past.
    public var sendNow: Bool
    public var data: JSON?
    /// A new series (`--every`, `--at`, `--until`, `--tz` read together); `.some(nil)` makes it a
    /// one-off campaign again.
    public var recurrence: CampaignRecurrence??

    public init(
        template: String? = nil, conditions: [String]? = nil, sendAt: Int64?? = nil, sendAtText: String? = nil,
        sendNow: Bool = false, data: JSON? = nil, recurrence: CampaignRecurrence?? = nil
    ) {
        self.recurrence = recurrence
        self.template = template
        self.conditions = conditions
        self.sendAt = sendAt
        self.sendAtText = sendAtText
        self.sendNow = sendNow
        self.data = data
    }
}

extension CampaignPlanner {
    /// Changes a campaign nothing was queued for, checked as `create` checks a new one: the
    /// template renders for every language and channel, the `--where` keys exist, a new time is
    /// not past. A kept time that has passed meanwhile is dropped: the campaign is a draft again.
    /// - Returns: the campaign as stored (`scheduled` with a send time, else `draft`).
    /// - Throws: `CampaignError.unknown`, `CampaignError.started` for a started or cancelled one,
    ///   and what `create` throws.
    public func update(_ name: String, _ changes: CampaignChanges, now: Int64 = WallClock.nowMillis()) throws
        -> Campaign
    {
        guard let c = try store.campaign(named: name), let id = c.messageID, let m = try store.message(id: id) else {
            throw CampaignError.unknown(name)
        }
        guard c.startedAt == nil, c.state != .cancelled else {
            throw CampaignError.started(name, state: c.state, deleting: false)
        }
        let recurrence = changes.recurrence ?? c.recurrence
        var sendAt = recurrence?.firstAt ?? changes.sendAt ?? c.sendAt
        if changes.sendAt == nil, changes.recurrence == nil, let kept = sendAt, kept < now - Self.pastTolerance {
            sendAt = nil
        }
        let draft = CampaignDraft(
            name: name, template: changes.template ?? m.template, list: c.list, channels: c.channels.map(\.name),
            conditions: changes.conditions ?? c.segment.clauses, sendAt: sendAt, sendAtText: changes.sendAtText,
            sendNow: changes.sendNow, attachments: m.attachments, data: changes.data ?? m.data,
            recurrence: sendAt == nil ? nil : recurrence)
        let (_, segment) = try check(draft, now: now)
        var updated = c
        updated.segment = segment
        updated.recurrence = draft.recurrence
        updated.sendAt = sendAt.flatMap { changes.sendNow && $0 < now ? nil : $0 }
        var message = m
        message.template = draft.template
        message.data = draft.data
        return try store.updateCampaign(updated, message: message)
    }
}
