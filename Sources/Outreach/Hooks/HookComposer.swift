/// The worker's composer with hooks: a delivery on a hook's channel carries an event, whose body
/// is built here (no template); every other delivery goes to the composer it wraps.
public struct HookComposer: DeliveryComposer {
    public let base: any DeliveryComposer
    /// The channels of the configured hooks (`Hook.channel`).
    public let hookChannels: Set<String>

    public init(base: any DeliveryComposer, hooks: [Hook]) {
        self.base = base
        hookChannels = Set(hooks.map(\.channel))
    }

    /// - Throws: `HookError.noEvent` when the message carries no event (a person's erase emptied
    ///   it): the delivery goes dead, as for a template that cannot render.
    public func compose(_ c: ClaimedDelivery, for channel: any Channel) throws -> OutgoingMessage {
        guard hookChannels.contains(c.delivery.channel) else { return try base.compose(c, for: channel) }
        guard let event = HookEvent(messageData: c.message.data) else {
            throw HookError.noEvent(message: c.message.id ?? c.delivery.messageID)
        }
        return OutgoingMessage(
            deliveryID: c.delivery.id, address: c.delivery.address, text: "", body: event.body.serialized,
            webhookID: event.webhookID)
    }
}

/// Why a hook's delivery cannot be posted.
public enum HookError: Error, Equatable, CustomStringConvertible {
    case noEvent(message: Int64)

    public var description: String {
        switch self {
        case .noEvent(let m):
            return "message \(m) carries no event to post (the person it was about was erased)"
        }
    }
}
