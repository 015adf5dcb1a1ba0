import Channels
import Foundation
import Outreach

extension Daemon {
    /// The daemon's parts, built once at start; SIGHUP replaces what `Loaded` holds inside them.
    struct Parts {
        /// The configuration the parts were built from: what the channels run with until a restart.
        let config: Config
        let store: any Store
        let links: LinkSigner
        let channels: [String: ChannelInfo]
        /// `[hooks.NAME]` as read at start: what the hook channels post until a restart.
        let hooks: [Hook]
        let worker: DeliveryWorker
        let composer: ReloadableComposer
        /// The template folder, followed while running; SIGHUP hands it what it loaded.
        let templates: LiveTemplates
        let delivery: DeliveryService
        let committer: GroupCommitter
        let api: API
        let http: HTTPService
        /// Started in this order, drained in the reverse: the node's heartbeat (it beats until the
        /// loops have finished), the channel loops, the work notifications (they wake the loops),
        /// the hook fan-out and the event reminders (they queue for the loops), the committer,
        /// HTTP, the bounce mailbox (it feeds only the store, and stops first).
        let services: ServiceGroup
    }

    /// Builds the store, the channels and the services from the configuration read at start.
    func compose(_ loaded: Loaded) throws -> Parts {
        let config = loaded.config
        let store = try Composition.openStore(config)
        let links = try LinkSigner.load(config: config)
        // The node's id is its worker's lease owner: what other nodes find on its leases, and
        // what its `/metrics` names.
        let node = DeliveryWorker.defaultOwner()
        let metrics = Metrics(node: node)

        var channels: [String: any Channel] = [:]
        var infos: [String: ChannelInfo] = [:]
        var workers: [String: Int] = [:]
        var policies: [String: RetryPolicy] = [:]
        for (name, section) in config.channels {
            let raw = try ChannelFactory.make(name: name, section: section, config: config)
            let schedule = try ChannelSchedule.checked(section: section, channel: raw)
            // Paced through the store: on PostgreSQL one pace for every node (docs/scale-out.md).
            channels[name] = PacedChannel(raw, rate: schedule.rate, batchCap: schedule.batchCap, pacing: store) {
                metrics.observeSend(channel: $0, outcomes: $1, seconds: $2)
            }
            infos[name] = ChannelInfo(
                name: name, kind: raw.kind, target: raw.target, addressAttribute: raw.addressAttribute,
                section: section, receipts: raw.receipts, providerEvents: raw.providerEvents)
            workers[name] = schedule.workers
            policies[name] = schedule.policy
        }
        // Each hook posts on a channel of its own (`hook:NAME`), through the same queue and retries.
        let hooks = try ChannelFactory.makeHooks(config)
        for h in hooks {
            channels[h.name] = PacedChannel(h, rate: nil, batchCap: h.batchCap) {
                metrics.observeSend(channel: $0, outcomes: $1, seconds: $2)
            }
            workers[h.name] = 1
            policies[h.name] = h.hook.policy
        }
        // Before the redactor, which then knows the mailbox's password too.
        let bounces = try Self.bounceMailbox(
            config, pipeline: try Composition.bounceProcessor(config, store: store), leadership: store)
        let templates = LiveTemplates(library: loaded.library, log: Log.sink)
        let composer = ReloadableComposer(
            TemplateComposer(library: loaded.library, config: config, links: links), templateWatch: templates)
        // After the channels and the server settings: the redactor knows every secret they read.
        let worker = DeliveryWorker(
            store: store, channels: channels, composer: HookComposer(base: composer, hooks: hooks.map(\.hook)),
            policies: policies, owner: node,
            leaseMillis: loaded.settings.leaseMillis, availability: ChannelAvailability(),
            quietHours: loaded.quiet, redactor: SecretRedactor(secrets: config.secretValues)
        ) { Log.info($0) }
        let scheduler = Scheduler(
            worker: worker, store: store, workers: workers, maxIdleMillis: config.idlePollMillis, log: Log.sink)
        let delivery = DeliveryService(
            scheduler: scheduler, worker: worker, store: store, drainTimeoutMillis: loaded.settings.drainTimeoutMillis,
            log: Log.sink)
        let heartbeat = NodeHeartbeat(
            registry: store, node: node, liveness: NodeLiveness(heartbeatMillis: config.heartbeatMillis),
            log: Log.sink
        ) { scheduler.wakeAll() }
        // Work other processes queue in a shared database (PostgreSQL: LISTEN/NOTIFY); polling is behind it.
        let wakeups: [any Service] =
            config.storageNotify
            ? [
                WorkWakeups(
                    source: store, log: Log.sink, wake: { scheduler.wake($0) }, wakeAll: { scheduler.wakeAll() })
            ] : []
        let fanOut = HookFanOut(store: store, hooks: hooks.map(\.hook), log: Log.sink) { scheduler.wake($0) }
        let reminders = ReminderService(store: store, log: Log.sink, leads: { store.leads(.reminders) }) {
            scheduler.wake($0)
        }
        let committer = GroupCommitter(store: store, observer: metrics, log: Log.sink) { scheduler.wake($0) }
        let api = API(
            store: store, dataDirectory: config.dataDir, committer: committer, links: links, metrics: metrics,
            live: Self.live(loaded, channels: infos), bounces: try Composition.bounceProcessor(config, store: store),
            availability: worker.availability, templateWatch: templates
        ) { scheduler.wake($0) }
        // A changed folder reaches both: what triggers check, and what the worker renders.
        templates.onChange { library in
            composer.replace(library: library)
            api.live.update { $0.templates = library }
        }
        let server = HTTPServer(
            maxBodyBytes: loaded.settings.maxBodyBytes, trustProxy: loaded.settings.trustProxy,
            headerTimeoutMillis: loaded.settings.headerTimeoutMillis
        ) { api.handle($0) }
        let http = HTTPService(
            server: server, api: api, address: try ListenAddress(loaded.settings.listen),
            threads: loaded.settings.threads, perAddressLimit: loaded.settings.perIPConnections)
        return Parts(
            config: config, store: store, links: links, channels: infos, hooks: hooks.map(\.hook), worker: worker,
            composer: composer,
            templates: templates, delivery: delivery, committer: committer, api: api, http: http,
            services: ServiceGroup(
                [heartbeat, delivery] + wakeups + [fanOut, reminders, committer, http] + (bounces.map { [$0] } ?? []),
                log: Log.sink)
        )
    }

    /// What the API reads per request and SIGHUP replaces.
    static func live(_ l: Loaded, channels: [String: ChannelInfo]) -> API.Live {
        API.Live(
            settings: l.settings, auth: Authenticator(settings: l.settings), templates: l.library, channels: channels,
            defaultCountry: l.config.defaultCountry, defaultLocale: l.config.defaultLocale)
    }
}
