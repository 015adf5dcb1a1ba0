import Foundation

/// The daemon's and CLI's configuration: a file in a TOML subset, or embedded defaults.
public struct Config: Sendable {
    /// The file read, or nil when running on embedded defaults.
    public var file: String?
    public var dataDir: String
    public var templatesDir: String
    public var defaultLocale: String
    public var publicURL: String
    public var senderFrom: String
    public var storageURL: String
    /// `[storage] password_file`'s content (PostgreSQL), read once at load; never shown.
    public var storagePassword: String?
    /// `[storage] heartbeat`: how often a `serve` node records that it is alive (`NodeLiveness`).
    public var heartbeatMillis = NodeLiveness.defaultHeartbeatMillis
    /// `[storage] poll`: the longest a channel loop sleeps with nothing due; nil for the backend's
    /// default (`idlePollMillis`).
    public var pollMillis: Int64?
    /// `[storage] notify`: whether a `serve` node on PostgreSQL listens for work (LISTEN/NOTIFY);
    /// false polls only (a proxy that does not forward `LISTEN`).
    public var storageNotify = true
    /// ISO 3166 country for phone numbers written without `+` (top-level `default_country`).
    public var defaultCountry: String?
    /// `[server]`, `[sender]`, … by name; `""` is the top level.
    public var sections: [String: ConfigSection]
    /// `[channels.NAME]` by channel name.
    public var channels: [String: ConfigSection]
    /// `[templates] max_render_bytes`: the largest rendered part (text, HTML, JSON body, subject).
    public var maxRenderBytes = Template.defaultMaxRenderBytes
    /// `[hooks.NAME]` by hook name: where delivery and consent events are posted (docs/hooks.md).
    public var hooks: [String: ConfigSection] = [:]
    /// What every template sees unless a message's, event's or list's data says otherwise:
    /// `organisation`, `website`, `postal_address` from `[sender]` (see `senderTemplateData`).
    public var templateDefaults: [String: JSON] = [:]

    public var server: ConfigSection {
        sections["server"] ?? ConfigSection(name: "server", file: file ?? "(defaults)", baseDirectory: "")
    }

    /// Finds and reads the configuration: `explicitPath`, else `$OUTREACH_CONFIG`, else
    /// `/etc/outreach/outreachd.conf` if present, else embedded defaults.
    public static func load(explicitPath: String?, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigError) -> Config
    {
        if let p = explicitPath ?? environment["OUTREACH_CONFIG"].flatMap({ $0.isEmpty ? nil : $0 }) {
            return try read(path: p, environment: environment)
        }
        if FileManager.default.fileExists(atPath: "/etc/outreach/outreachd.conf") {
            return try read(path: "/etc/outreach/outreachd.conf", environment: environment)
        }
        return embeddedDefaults(environment: environment)
    }

    public static func embeddedDefaults(environment: [String: String] = ProcessInfo.processInfo.environment) -> Config {
        let dataDir =
            environment["STATE_DIRECTORY"].flatMap {
                $0.isEmpty ? nil : $0.split(separator: ":").first.map(String.init)
            } ?? "outreach-data"
        let outbox = ConfigSection(
            name: "channels.outbox", file: "(defaults)", baseDirectory: "",
            values: ["type": .string("outbox"), "dir": .string("outbox")])
        return Config(
            file: nil, dataDir: dataDir, templatesDir: "templates", defaultLocale: "en",
            publicURL: "http://127.0.0.1:8025", senderFrom: "Outreach <outreach@localhost>",
            storageURL: "sqlite:outreach.db", defaultCountry: nil, sections: [:], channels: ["outbox": outbox],
            templateDefaults: (try? senderTemplateData(from: "Outreach <outreach@localhost>", section: nil)) ?? [:])
    }

    public static func read(path: String, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigError) -> Config
    {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadableFile(
                path: path, reason: FileManager.default.fileExists(atPath: path) ? "permission denied" : "no such file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw .unreadableFile(path: path, reason: "not UTF-8 text")
        }
        return try parse(text, file: path, environment: environment)
    }

    public static func parse(
        _ text: String, file: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(ConfigError) -> Config {
        let base = (file as NSString).deletingLastPathComponent
        let sections = try TOMLParser(file: file, baseDirectory: base).parse(text).mapValues { section in
            var s = section
            s.credentialsDirectory = environment["CREDENTIALS_DIRECTORY"]
            return s
        }
        let defaults = embeddedDefaults(environment: environment)
        let top = sections[""]!
        var config = defaults
        config.file = file
        config.sections = sections
        if let d = try top.string("data_dir") { config.dataDir = d }
        if let t = try top.string("templates_dir") { config.templatesDir = t }
        if let l = try top.string("default_locale") {
            guard Locales.isValid(l) else { throw top.invalid("default_locale", "is not a BCP 47 language tag") }
            config.defaultLocale = l
        }
        if let u = try top.string("public_url") {
            guard u.hasPrefix("http://") || u.hasPrefix("https://") else {
                throw top.invalid("public_url", "must start with http:// or https://")
            }
            config.publicURL = u.hasSuffix("/") ? String(u.dropLast()) : u
        }
        if let dc = try top.string("default_country") { config.defaultCountry = dc }
        if let sender = sections["sender"] { try readSender(sender, into: &config) }
        if let storage = sections["storage"] { try readStorage(storage, into: &config) }
        if let t = sections["templates"] { config.maxRenderBytes = try readTemplates(t) }
        let known: Set<String> = ["data_dir", "templates_dir", "default_locale", "public_url", "default_country"]
        for k in top.keys where !known.contains(k) {
            throw top.invalid(k, "is not a known setting")
        }
        var channels: [String: ConfigSection] = [:]
        for (name, s) in sections where name.hasPrefix("channels.") {
            let channelName = String(name.dropFirst("channels.".count))
            _ = try s.requireString("type")
            channels[channelName] = s
        }
        if !channels.isEmpty || sections.keys.contains(where: { $0 == "channels" }) {
            config.channels = channels
        }
        if let bare = sections["hooks"], let key = bare.keys.first {
            throw bare.invalid(key, "is not a setting of [hooks]; each hook is a table of its own, [hooks.NAME]")
        }
        for (name, s) in sections where name.hasPrefix("hooks.") {
            config.hooks[String(name.dropFirst("hooks.".count))] = s
        }
        return config
    }

    /// The `[sender]` keys a template sees, by the name it sees them under.
    public static let senderTemplateKeys = ["organisation", "website", "postal_address"]

    /// `[sender]`: `from`, `reply_to` and what every template sees. Any other key is refused, with
    /// the one it resembles (`organization` → `organisation`).
    static func readSender(_ sender: ConfigSection, into config: inout Config) throws(ConfigError) {
        if let from = try sender.string("from") { config.senderFrom = from }
        _ = try sender.string("reply_to")
        config.templateDefaults = try senderTemplateData(from: config.senderFrom, section: sender)
        try sender.refuseUnreadKeys()
    }

    /// `organisation`, `website` and `postal_address` as `[sender]` sets them; `organisation`
    /// defaults to the display name of `from` ("Connecting Friends" of `Connecting Friends <…>`),
    /// the name recipients already see on the mail. An empty value sets nothing.
    static func senderTemplateData(from: String, section: ConfigSection?) throws(ConfigError) -> [String: JSON] {
        var out: [String: JSON] = [:]
        if let name = (try? MailAddress.parse(from))?.name, !name.isEmpty { out["organisation"] = .string(name) }
        for key in senderTemplateKeys {
            guard let v = try section?.string(key) else { continue }
            out[key] = v.isEmpty ? nil : .string(v)
        }
        return out
    }

    /// `[templates]`: only `max_render_bytes`, at least 1 KiB (less would refuse ordinary messages)
    /// and at most 1 GiB (a limit is the point).
    static func readTemplates(_ t: ConfigSection) throws(ConfigError) -> Int {
        if let k = t.keys.first(where: { $0 != "max_render_bytes" }) {
            throw t.invalid(k, "is not a setting of [templates]")
        }
        guard let n = try t.int("max_render_bytes") else { return Template.defaultMaxRenderBytes }
        guard (1024...(1 << 30)).contains(n) else {
            throw t.invalid("max_render_bytes", "must be at least 1024 and at most 1073741824 (1 GiB)")
        }
        return n
    }

    /// Resolves a path relative to the data directory.
    public func dataPath(_ relative: String) -> String {
        relative.hasPrefix("/") ? relative : dataDir + "/" + relative
    }

    /// The SQLite file the store uses, when the storage URL is `sqlite:`.
    public var sqlitePath: String? {
        guard storageURL.hasPrefix("sqlite:") else { return nil }
        var p = String(storageURL.dropFirst("sqlite:".count))
        if p.hasPrefix("//") { p.removeFirst(2) }
        return dataPath(p)
    }
}
