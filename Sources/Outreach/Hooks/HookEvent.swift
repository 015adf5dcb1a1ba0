/// One recorded event on its way out: its id, type, instant and data (docs/hooks.md has the
/// data's fields per type).
public struct HookEvent: Sendable, Equatable {
    /// The outbox row's id; ids only grow, so they order events as they were recorded.
    public var id: Int64
    public var type: HookEventType
    /// When the change happened (ms since 1970): the changed row's `updated_at`.
    public var at: Int64
    public var data: JSON

    public init(id: Int64, type: HookEventType, at: Int64, data: JSON) {
        self.id = id
        self.type = type
        self.at = at
        self.data = data
    }

    /// The event an outbox row records; nil for a type this binary does not know (recorded by a
    /// newer one) or a payload that does not parse: no hook can want it.
    public init?(outboxID id: Int64, type: String, payload: String, at: Int64) {
        guard let type = HookEventType(rawValue: type), let data = try? JSON.parse(payload) else { return nil }
        self.init(id: id, type: type, at: at, data: data)
    }

    /// `evt_ID`: the same on every attempt and for every hook, so a receiver drops repeats by it.
    /// It holds no '.', which Standard Webhooks asks of the id it signs.
    public var webhookID: String { "evt_\(id)" }

    /// What is posted: Standard Webhooks' payload, `{"type", "timestamp", "data"}`.
    public var body: JSON {
        ["type": .string(type.rawValue), "timestamp": .string(RFC3339.utc(millis: at)), "data": data]
    }

    /// The template column of the message that carries it: it names the type, and is never a
    /// template (`HookComposer` builds the body).
    public var messageTemplate: String { Hook.channelPrefix + type.rawValue }

    /// What that message stores as its data: everything `init(messageData:)` needs.
    public var messageData: JSON {
        ["id": JSON(Int(id)), "type": .string(type.rawValue), "at": JSON(Int(at)), "data": data]
    }

    /// The event a hook message carries; nil when its data is not one (a person's erase emptied it).
    public init?(messageData j: JSON) {
        guard let id = j["id"]?.intValue, let t = j["type"]?.stringValue.flatMap(HookEventType.init(rawValue:)),
            let at = j["at"]?.intValue, let data = j["data"], data.objectValue != nil
        else { return nil }
        self.init(id: Int64(id), type: t, at: Int64(at), data: data)
    }
}
