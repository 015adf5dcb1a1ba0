/// One `[hooks.NAME]` table: where the events are posted, which ones, the key that signs them and
/// how long a post is retried. The HTTP side (timeouts, TLS, headers) is read by the channel that
/// posts them (`Sources/Channels`).
public struct Hook: Sendable {
    /// A hook's deliveries travel on the channel `hook:NAME`. A configured channel's name cannot
    /// hold ':' (table names are letters, digits, '.', '_' and '-'), so the two never clash, and
    /// the store's triggers tell a hook's own deliveries by it: they raise no events of their own.
    public static let channelPrefix = "hook:"
    /// Standard Webhooks asks for a random signing secret of at least 24 bytes.
    public static let minimumKeyBytes = 24

    public let name: String
    public let url: String
    /// The types it subscribes to, sorted, each once.
    public let events: [HookEventType]
    public let signer: StandardWebhooks
    public let policy: RetryPolicy

    /// The queue's channel for this hook's posts.
    public var channel: String { Self.channelPrefix + name }

    public func wants(_ type: HookEventType) -> Bool { events.contains(type) }

    /// Reads `url`, `events`, `signing_secret_file` (or `signing_secret`) and the retry settings.
    /// - Throws: `ConfigError` naming the hook's table, the key and the value to fix; the secret
    ///   itself is never part of a message.
    public init(name: String, section: ConfigSection) throws(ConfigError) {
        guard !name.isEmpty else { throw .syntax(file: section.file, line: 0, message: "[hooks.] needs a name") }
        self.name = name
        url = try section.requireString("url")
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw section.invalid("url", "of [hooks.\(name)] must start with http:// or https://")
        }
        guard let names = try section.strings("events") else {
            throw .missing(file: section.file, section: section.name, key: "events")
        }
        guard !names.isEmpty else {
            throw section.invalid("events", "of [hooks.\(name)] lists no event; name one of \(HookEventType.list)")
        }
        var types: Set<HookEventType> = []
        for n in names {
            guard let t = HookEventType(rawValue: n) else {
                throw section.invalid(
                    "events", "of [hooks.\(name)] has \"\(n)\", which is not an event type (\(HookEventType.list))")
            }
            types.insert(t)
        }
        events = types.sorted()
        let key = section.has("signing_secret") ? "signing_secret" : "signing_secret_file"
        guard let secret = try section.secret("signing_secret") else {
            throw .missing(file: section.file, section: section.name, key: "signing_secret_file")
        }
        do throws(StandardWebhooksError) {
            signer = try StandardWebhooks(secret: secret)
        } catch {
            throw section.invalid(key, "of [hooks.\(name)] must hold whsec_ followed by base64 key bytes")
        }
        guard signer.key.count >= Self.minimumKeyBytes else {
            throw section.invalid(
                key,
                "of [hooks.\(name)] holds a key of \(signer.key.count) bytes; Standard Webhooks asks for at least "
                    + "\(Self.minimumKeyBytes) random bytes")
        }
        policy = try RetryPolicy(section: section)
    }
}
