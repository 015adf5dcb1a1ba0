import Outreach
import Synchronization

/// The worker's composer, swapped on SIGHUP so new templates apply to the next batch; its
/// library follows the template folder (`LiveTemplates`) in between.
final class ReloadableComposer: DeliveryComposer {
    let current: Mutex<TemplateComposer>
    let templateWatch: LiveTemplates?

    init(_ composer: TemplateComposer, templateWatch: LiveTemplates? = nil) {
        current = Mutex(composer)
        self.templateWatch = templateWatch
    }

    func replace(_ composer: TemplateComposer) { current.withLock { $0 = composer } }

    /// The same composer with another library (the folder changed).
    func replace(library: TemplateLibrary) {
        current.withLock { $0 = TemplateComposer(library: library, config: $0.config, links: $0.links) }
    }

    func compose(_ claimed: ClaimedDelivery, for channel: any Channel) throws -> OutgoingMessage {
        templateWatch?.poll()
        let c = current.withLock { $0 }
        return try c.compose(claimed, for: channel)
    }
}
