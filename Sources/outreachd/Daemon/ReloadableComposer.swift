import Outreach
import Synchronization

/// The worker's composer, swapped on SIGHUP so new templates apply to the next batch.
final class ReloadableComposer: DeliveryComposer {
    let current: Mutex<TemplateComposer>

    init(_ composer: TemplateComposer) { current = Mutex(composer) }

    func replace(_ composer: TemplateComposer) { current.withLock { $0 = composer } }

    func compose(_ claimed: ClaimedDelivery, for channel: any Channel) throws -> OutgoingMessage {
        let c = current.withLock { $0 }
        return try c.compose(claimed, for: channel)
    }
}
