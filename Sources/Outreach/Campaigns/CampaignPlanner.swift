import Foundation

/// What an officer asks for when creating a campaign, before it is checked.
public struct CampaignDraft: Sendable {
    public var name: String
    public var template: String
    public var list: String
    public var channels: [String]
    /// `attribute=value` conditions every recipient must meet.
    public var filters: [String: String]
    /// When to send (ms since 1970); nil when started by hand.
    public var sendAt: Int64?
    /// Paths of files attached to every message.
    public var attachments: [String]
    /// Template data shared by every message.
    public var data: JSON

    public init(
        name: String, template: String, list: String, channels: [String], filters: [String: String] = [:],
        sendAt: Int64? = nil, attachments: [String] = [], data: JSON = .object([:])
    ) {
        self.name = name
        self.template = template
        self.list = list
        self.channels = channels
        self.filters = filters
        self.sendAt = sendAt
        self.attachments = attachments
        self.data = data
    }
}

/// Creating a campaign: everything is checked before anything is stored — the list and template
/// exist, every channel is configured, attachments are readable, and the template renders for
/// every language in the audience on every channel.
public struct CampaignPlanner {
    public let store: any CampaignStore & ConsentStore
    public let templates: TemplateCheck
    public let channels: [String: any Channel]
    /// Named in the message for a missing template.
    public let templatesDirectory: String

    public init(
        store: any CampaignStore & ConsentStore, templates: TemplateCheck, channels: [String: any Channel],
        templatesDirectory: String
    ) {
        self.store = store
        self.templates = templates
        self.channels = channels
        self.templatesDirectory = templatesDirectory
    }

    /// Checks `draft` and stores it as a campaign that is not started.
    /// - Returns: the campaign stored.
    /// - Throws: `StoreError.unknownList`, `CampaignError.invalid` naming what to fix, `CampaignError.exists`.
    public func create(_ draft: CampaignDraft) throws -> Campaign {
        let campaignChannels = try check(draft)
        let attachments = draft.attachments.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        return try store.createCampaign(
            Campaign(
                name: draft.name, list: draft.list, channels: campaignChannels, filters: draft.filters,
                sendAt: draft.sendAt),
            message: Message(
                template: draft.template, data: draft.data, kind: .list, listName: draft.list,
                attachments: attachments))
    }

    /// Every check `create` makes, storing nothing.
    /// - Returns: the campaign's channels.
    @discardableResult
    public func check(_ draft: CampaignDraft) throws -> [CampaignChannel] {
        guard try store.list(named: draft.list) != nil else { throw StoreError.unknownList(draft.list) }
        guard templates.library.has(draft.template) else {
            throw CampaignError.invalid("There is no template '\(draft.template)' in \(templatesDirectory).")
        }
        var campaignChannels: [CampaignChannel] = []
        for n in draft.channels {
            guard let ch = channels[n] else {
                throw CampaignError.invalid(
                    "There is no channel '\(n)'; configured: \(channels.keys.sorted().joined(separator: ", ")).")
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
                        template: draft.template, channel: channels[ch.name]!, locale: l, data: draft.data)
                } catch {
                    throw CampaignError.invalid(
                        "The template '\(draft.template)' does not render for \(l ?? "the default language") "
                            + "on channel \(ch.name): \(error).")
                }
            }
        }
        return campaignChannels
    }
}
