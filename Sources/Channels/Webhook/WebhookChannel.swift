import Foundation
import Outreach

/// Posts chat messages to a room or to each contact through a chat service's HTTP API.
///
/// Every request carries `webhook-id` = the delivery id (receivers drop repeats; Matrix uses it
/// as the transaction id); with `signing_secret_file` also the Standard Webhooks signature.
public final class WebhookChannel: Channel {
    public let name: String
    public var kind: ChannelKind { .chat }
    public let target: ChannelTarget
    public let preset: WebhookPreset
    /// For contact targets: the contact attribute holding the chat address (e.g. `telegram_chat`).
    public let addressAttribute: String?
    public var batchSize: Int { settings.batchSize }
    public var inFlightLimit: Int? { settings.options.maxConnections }

    let url: String
    /// The room for room targets: Telegram chat id, Matrix room id, Slack/Mattermost channel.
    let room: String?
    /// Bot token (Telegram) or access token (Matrix).
    let token: String?
    let method: String
    let contentType: WebhookContentType
    let username: String?
    let settings: HTTPChannelSettings
    let client: HTTPClient
    /// Seconds since 1970 for `webhook-timestamp`; a parameter so tests can sign for a fixed time.
    let clock: @Sendable () -> Int

    /// `[channels.NAME] type = "webhook"`; see docs/channels.md for every key.
    public convenience init(name: String, section: ConfigSection, config: Config) throws(ConfigError) {
        try self.init(name: name, section: section)
    }

    public init(
        name: String, section: ConfigSection,
        clock: @escaping @Sendable () -> Int = { Int(Date().timeIntervalSince1970) }
    ) throws(ConfigError) {
        self.name = name
        self.clock = clock
        let presetName = try section.string("preset") ?? "generic"
        guard let preset = WebhookPreset(rawValue: presetName) else {
            throw section.invalid(
                "preset", "must be one of " + WebhookPreset.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.preset = preset
        let targetName = try section.string("target") ?? "room"
        guard let target = ChannelTarget(rawValue: targetName) else {
            throw section.invalid("target", "must be room or contact")
        }
        self.target = target
        addressAttribute = try section.string("address_attribute")
        if target == .contact, addressAttribute == nil {
            throw .missing(file: section.file, section: section.name, key: "address_attribute")
        }
        settings = try HTTPChannelSettings(section)
        username = try section.string("username")
        switch preset {
        case .telegram:
            url = try section.string("url") ?? "https://api.telegram.org"
            guard let t = try section.secret("bot_token") else {
                throw .missing(file: section.file, section: section.name, key: "bot_token_file")
            }
            token = t
            room = try section.string("chat_id")
            if target == .room, room == nil {
                throw .missing(file: section.file, section: section.name, key: "chat_id")
            }
        case .matrix:
            url = try section.requireString("url")
            guard let t = try section.secret("access_token") else {
                throw .missing(file: section.file, section: section.name, key: "access_token_file")
            }
            token = t
            room = try section.string("room")
            if target == .room, room == nil { throw .missing(file: section.file, section: section.name, key: "room") }
        default:
            url = try section.requireString("url")
            token = nil
            room = try section.string("channel")
        }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw section.invalid("url", "must start with http:// or https://")
        }
        if [.slack, .mattermost, .discord, .teams].contains(preset) {
            // These services' webhook URLs are capabilities: whoever has the path can post.
            let afterScheme = url[url.index(url.firstIndex(of: ":")!, offsetBy: 3)...]
            if let slash = afterScheme.firstIndex(of: "/") {
                let path = afterScheme[afterScheme.index(after: slash)...].prefix { $0 != "?" && $0 != "#" }
                section.noteSecret(String(path))
            }
        }
        let configuredMethod = try section.string("method")
        method = (configuredMethod ?? (preset == .matrix ? "PUT" : "POST")).uppercased()
        guard ["POST", "PUT", "PATCH", "GET"].contains(method), preset == .generic || configuredMethod == nil
        else { throw section.invalid("method", "must be POST, PUT, PATCH or GET, and only for the generic preset") }
        let ct = try section.string("content_type") ?? "json"
        guard let contentType = WebhookContentType(rawValue: ct) else {
            throw section.invalid("content_type", "must be json or form")
        }
        self.contentType = contentType
        client = HTTPClient(options: settings.options)
    }

    public func send(_ batch: [OutgoingMessage]) -> [DeliveryOutcome] {
        let now = clock()
        let peer = "\(preset.rawValue) webhook \(name)"
        return client.send(
            batch, build: { (m: OutgoingMessage) throws(WebhookError) in try request(for: m, timestamp: now) },
            refused: { .permanent($0.description) },
            outcome: { [preset] in HTTPOutcome.classify($0, peer: peer) { WebhookChannel.providerID(preset, $0) } })
    }

    public func close() { client.close() }
    public func probe() -> String? { client.probe(url) }

    static func providerID(_ preset: WebhookPreset, _ response: HTTPClientResponse) -> String? {
        switch preset {
        case .telegram: return HTTPOutcome.jsonField(response, "result", "message_id")
        case .matrix: return HTTPOutcome.jsonField(response, "event_id")
        case .generic, .discord: return HTTPOutcome.jsonField(response, "id")
        default: return nil
        }
    }
}
