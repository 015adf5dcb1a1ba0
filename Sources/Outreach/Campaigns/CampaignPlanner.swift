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

    /// What `campaigns create` was given; nothing is checked yet.
    public init(
        name: String, template: String, list: String, channels: [String], conditions: [String] = [],
        sendAt: Int64? = nil, sendAtText: String? = nil, sendNow: Bool = false, attachments: [String] = [],
        data: JSON = .object([:])
    ) {
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

    public let store: any CampaignStore & ConsentStore & ContactStore
    public let templates: TemplateCheck
    public let channels: [String: any Channel]
    /// Named in the message for a missing template.
    public let templatesDirectory: String

    public init(
        store: any CampaignStore & ConsentStore & ContactStore, templates: TemplateCheck,
        channels: [String: any Channel],
        templatesDirectory: String
    ) {
        self.store = store
        self.templates = templates
        self.channels = channels
        self.templatesDirectory = templatesDirectory
    }

    /// Checks `draft` and stores it as a campaign that is not started.
    /// - Parameter now: the current instant (ms since 1970), for the send time.
    /// - Returns: the campaign stored.
    /// - Throws: `StoreError.unknownList`, `UnknownChannel`, `CampaignError.invalid` naming what to fix,
    ///   `CampaignError.inThePast`, `SegmentError`, `CampaignError.exists`.
    public func create(_ draft: CampaignDraft, now: Int64 = WallClock.nowMillis()) throws -> Campaign {
        let (campaignChannels, segment) = try check(draft, now: now)
        let attachments = draft.attachments.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let sendAt = draft.sendAt.flatMap { draft.sendNow && $0 < now ? nil : $0 }
        return try store.createCampaign(
            Campaign(
                name: draft.name, list: draft.list, channels: campaignChannels, segment: segment, sendAt: sendAt),
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
        for f in draft.attachments where !FileManager.default.isReadableFile(atPath: f) {
            throw CampaignError.invalid("The attachment \(f) cannot be read.")
        }
        // Render once for every language in the audience and every channel.
        let locales = try store.audienceLocales(list: draft.list)
        for ch in campaignChannels {
            for l in locales + [nil] {
                do {
                    try templates.check(
                        template: draft.template, channel: channels[ch.name]!, locale: l, data: draft.data, list: list)
                } catch {
                    throw CampaignError.invalid(
                        "The template '\(draft.template)' does not render for \(l ?? "the default language") "
                            + "on channel \(ch.name): \(error).")
                }
            }
        }
        return (campaignChannels, segment)
    }
}
