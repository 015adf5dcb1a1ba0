import Foundation

/// Why an event cannot be created or changed as asked; each says what to fix.
public enum EventPlanError: Error, Sendable, CustomStringConvertible {
    /// No channel was named and no email channel is configured.
    case noDefaultChannel
    case unknownChannel(String, configured: [String])
    case missingTemplate(String, directory: String)
    case doesNotRender(template: String, locale: String?, channel: String, reason: String)

    public var description: String {
        switch self {
        case .noDefaultChannel: return "--channel is required: no email channel is configured"
        case .unknownChannel(let n, let configured):
            return "--channel: there is no channel '\(n)'; configured: \(configured.joined(separator: ", "))."
        case .missingTemplate(let t, let dir): return "There is no template '\(t)' in \(dir); events need it."
        case .doesNotRender(let t, let l, let c, let reason):
            return "The template '\(t)' does not render for \(l ?? "the default language") on channel \(c): \(reason)"
        }
    }
}

/// Creating and changing events: which channels and templates an event uses, and the check that
/// its invitation and reminder render for every language in the audience on every channel
/// before anything is stored or queued.
public struct EventPlanner {
    public let store: any EventStore & CampaignStore & ConsentStore
    public let templates: TemplateCheck
    public let channels: [String: any Channel]
    /// Named in the message for a missing template.
    public let templatesDirectory: String
    public let defaultLocale: String

    public init(
        store: any EventStore & CampaignStore & ConsentStore, templates: TemplateCheck, channels: [String: any Channel],
        templatesDirectory: String, defaultLocale: String
    ) {
        self.store = store
        self.templates = templates
        self.channels = channels
        self.templatesDirectory = templatesDirectory
        self.defaultLocale = defaultLocale
    }

    /// The channels named, each addressed by the one recipient rule; without names, every email
    /// channel that writes to each contact.
    /// - Throws: `EventPlanError.unknownChannel`, `.noDefaultChannel`.
    public func channels(named names: [String]) throws -> [CampaignChannel] {
        let chosen =
            names.isEmpty
            ? channels.filter { $0.value.kind == .email && $0.value.target == .contact }.keys.sorted() : names
        guard !chosen.isEmpty else { throw EventPlanError.noDefaultChannel }
        return try chosen.map { n in
            guard let ch = channels[n] else {
                throw EventPlanError.unknownChannel(n, configured: channels.keys.sorted())
            }
            return CampaignChannel(channel: ch)
        }
    }

    /// The templates events use: `event-invitation`, `event-reminder`, `event-cancellation` and
    /// `event-update`. The cancellation and the update have their own templates because they word
    /// what happened ("Cancelled:", "Aflyst:"; what changed); the title reaches them as it is. A
    /// folder without `event-update` (made before it existed) sends updates with the invitation's.
    public var eventTemplates: EventTemplates {
        var t = EventTemplates()
        if !templates.library.has(t.update) { t.update = t.invitation }
        return t
    }

    /// Renders each of the event's messages for every language in the audience and every channel,
    /// about its first occurrence, as the composer will: the variant's language, the event's and
    /// the list's data, the `[sender]` defaults, and a reader far away (the longest `event.when`). `previous` is the event before an update (its
    /// update message then names what changed).
    /// - Throws: `EventPlanError.missingTemplate`, `.doesNotRender`.
    public func check(_ event: Event, _ names: EventTemplates, previous: Event? = nil) throws {
        for t in Set([names.invitation, names.reminder, names.cancellation, names.update])
        where !templates.library.has(t) {
            throw EventPlanError.missingTemplate(t, directory: templatesDirectory)
        }
        guard let first = event.schedule.occurrences().first else { return }
        let list = try store.list(named: event.list)
        let messages: [(template: String, data: JSON)] = [
            (names.invitation, event.messageData(role: .invitation, occurrence: nil)),
            (names.reminder, event.messageData(role: .reminder, occurrence: first.index)),
            (names.cancellation, event.messageData(role: .cancellation, occurrence: nil)),
            (names.update, event.messageData(role: .update, occurrence: nil, previous: previous ?? event)),
        ]
        let asOf = first.start.addingTimeInterval(-1)
        // A reader far from the event reads the longest `when` (both clocks, the organiser's date).
        let far = [TimeZone(identifier: "America/Los_Angeles"), TimeZone(identifier: "Asia/Tokyo")].compactMap { $0 }
            .first { !EventWhen.sameClock($0, event.schedule.timeZone, at: first.start) }
        for locale in try store.audienceLocales(list: event.list).map(Optional.some) + [nil] {
            for ch in event.channels {
                guard let channel = channels[ch.name] else {
                    throw EventPlanError.unknownChannel(ch.name, configured: channels.keys.sorted())
                }
                for (t, data) in messages {
                    guard let info = EventMessageInfo(data) else { continue }
                    let written = templates.library.resolvedLocale(t, kind: channel.kind, locale: locale) ?? locale
                    var sample = data.objectValue ?? [:]
                    sample["event"] = info.templateValue(
                        first, locale: written, readerZone: far, defaultLocale: defaultLocale, asOf: asOf)
                    do {
                        try templates.check(
                            template: t, channel: channel, locale: locale, data: .object(sample), list: list)
                    } catch {
                        throw EventPlanError.doesNotRender(
                            template: t, locale: locale, channel: ch.name, reason: "\(error)")
                    }
                }
            }
        }
    }
}
