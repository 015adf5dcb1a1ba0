/// Turns a claimed delivery into the message a channel sends (render the template, build MIME).
public protocol DeliveryComposer: Sendable {
    func compose(_ claimed: ClaimedDelivery, for channel: any Channel) throws -> OutgoingMessage
}
