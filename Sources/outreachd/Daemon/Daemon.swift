import CMicroHTTPD
import Foundation
import Outreach
import Channels

/// `outreachd serve`: the HTTP API, the group committer and the channel loops in one process,
/// driven by signals on the main thread (SIGTERM/SIGINT drain, SIGHUP reloads).
final class Daemon {
    let configPath: String?
    let listenOverride: String?

    init(configPath: String?, listenOverride: String?) {
        self.configPath = configPath
        self.listenOverride = listenOverride
    }

    /// Everything SIGHUP re-reads.
    struct Loaded {
        var config: Config
        var settings: ServerSettings
        var library: TemplateLibrary
        var quiet: [String: QuietHours]
    }

    func load() throws -> Loaded {
        let config = try Config.load(explicitPath: configPath)
        var settings = try ServerSettings(section: config.server)
        if let l = listenOverride { settings.listen = l }
        let library = try TemplateLibrary(
            directory: config.templatesDir, defaultLocale: config.defaultLocale,
            maxRenderBytes: config.maxRenderBytes)
        var quiet: [String: QuietHours] = [:]
        for (name, section) in config.channels {
            if let q = try QuietHours.from(section) { quiet[name] = q }
        }
        if !library.has(settings.confirmTemplate) {
            Log.warning(
                "the confirmation template '\(settings.confirmTemplate)' is not in \(config.templatesDir); double opt-in sign-ups will fail to send"
            )
        }
        return Loaded(config: config, settings: settings, library: library, quiet: quiet)
    }

    func run() throws -> Int32 {
        // Before any thread exists, so every thread inherits the blocked mask.
        var signals = SignalWaiter()
        // Requests are allocated on pool threads and freed on the committer: with glibc's default
        // trim threshold every such free shrinks an arena with madvise, whose TLB shootdowns cost
        // more CPU than the request itself (daemon benchmark). Keep up to 64 MiB of free heap.
        _ = outreach_malloc_keep_free_heap(64 << 20)
        let notifier = SystemdNotifier()
        var loaded = try load()
        let config = loaded.config
        let store = try Composition.openStore(config)
        let links = try LinkSigner.load(config: config)
        let metrics = Metrics()

        var channels: [String: any Channel] = [:]
        var infos: [String: ChannelInfo] = [:]
        var workers: [String: Int] = [:]
        var policies: [String: RetryPolicy] = [:]
        for (name, section) in config.channels {
            let raw = try ChannelFactory.make(name: name, section: section, config: config)
            let schedule = try ChannelSchedule.checked(name: name, section: section, publicURL: config.publicURL)
            channels[name] = InstrumentedChannel(
                raw, metrics: metrics, rate: schedule.rate, batchCap: schedule.batchCap)
            infos[name] = ChannelInfo(
                name: name, kind: raw.kind, target: raw.target, addressAttribute: raw.addressAttribute,
                section: section, receipts: schedule.receipts)
            workers[name] = schedule.workers
            policies[name] = schedule.policy
        }
        let composer = ReloadableComposer(TemplateComposer(library: loaded.library, config: config, links: links))
        let availability = ChannelAvailability()
        // After the channels and the server settings: the redactor knows every secret they read.
        let worker = DeliveryWorker(
            store: store, channels: channels, composer: composer, policies: policies,
            leaseMillis: loaded.settings.leaseMillis, availability: availability,
            quietHours: loaded.quiet, redactor: SecretRedactor(secrets: config.secretValues)
        ) { Log.info($0) }
        let scheduler = Scheduler(worker: worker, store: store, workers: workers)
        let committer = GroupCommitter(store: store, metrics: metrics) { scheduler.wake($0) }
        func live(_ l: Loaded) -> API.Live {
            API.Live(
                settings: l.settings, auth: Authenticator(settings: l.settings), templates: l.library, channels: infos,
                defaultCountry: l.config.defaultCountry, defaultLocale: l.config.defaultLocale)
        }
        let api = API(
            store: store, dataDirectory: config.dataDir, committer: committer, links: links, metrics: metrics,
            live: live(loaded),
            availability: availability
        ) { scheduler.wake($0) }
        let server = HTTPServer(
            maxBodyBytes: loaded.settings.maxBodyBytes, trustProxy: loaded.settings.trustProxy,
            headerTimeoutMillis: loaded.settings.headerTimeoutMillis
        ) { api.handle($0) }
        let address = try ListenAddress(loaded.settings.listen)

        committer.start()
        try server.start(
            listen: address, threads: loaded.settings.threads,
            perAddressLimit: loaded.settings.perIPConnections)
        Self.resumeLeasesOfStoppedProcesses(store)
        scheduler.start()
        for w in config.warnings { Log.warning(w) }
        if loaded.settings.tokens.isEmpty && loaded.settings.webhookSecret == nil {
            Log.warning("no [server] tokens_file or webhook_secret_file: POST /v1/messages will refuse every request")
        }
        let status = "Listening on \(address), channels: \(channels.keys.sorted().joined(separator: ", "))"
        Log.notice(
            "outreachd \(CLI.version) started; \(status.prefix(1).lowercased() + status.dropFirst()); data in \(config.dataDir)"
        )
        notifier.ready(status: status)

        let tick = notifier.watchdogInterval.map { min($0, 5) } ?? 5
        var stopSignal: Int32 = 0
        var nextHousekeeping: UInt64 = 0
        while stopSignal == 0 {
            api.storeHealth.check(store)
            if DispatchTime.now().uptimeNanoseconds >= nextHousekeeping {
                Self.extendReminders(store, scheduler: scheduler)
                nextHousekeeping = DispatchTime.now().uptimeNanoseconds + Self.housekeepingInterval
            }
            switch signals.wait(seconds: tick) {
            case .timeout:
                if notifier.watchdogInterval != nil { notifier.watchdog() }
            case .reload:
                notifier.reloading()
                do {
                    let next = try load()
                    let changed = try Self.checkChannels(of: next.config, against: config)
                    if Set(next.config.channels.keys) != Set(config.channels.keys) {
                        Log.warning(
                            "channels were added or removed in the configuration; restart outreachd to apply that")
                    }
                    if !changed.isEmpty {
                        Log.warning(
                            "settings of \(changed.map { "[channels.\($0)]" }.joined(separator: ", ")) changed; apart from quiet hours they apply after a restart"
                        )
                    }
                    let (was, now) = (loaded.settings, next.settings)
                    for (key, changed) in [
                        ("listen", now.listen != was.listen),
                        ("per_ip_connections", now.perIPConnections != was.perIPConnections),
                        ("header_timeout", now.headerTimeoutMillis != was.headerTimeoutMillis),
                    ]
                    where changed {
                        Log.warning("[server] \(key) changed; restart outreachd to apply that")
                    }
                    loaded = next
                    api.live.replace(live(next))
                    server.maxBodyBytes.store(next.settings.maxBodyBytes, ordering: .relaxed)
                    server.trustProxy.store(next.settings.trustProxy, ordering: .relaxed)
                    worker.quietHours.withLock { $0 = next.quiet }
                    composer.replace(TemplateComposer(library: next.library, config: next.config, links: links))
                    Log.notice("reloaded the configuration and \(next.library.names.count) templates")
                } catch {
                    Log.error("reload failed, keeping the previous configuration: \(CLI.sentence(error))")
                }
                notifier.ready(status: status)
            case .terminate(let s):
                stopSignal = s
            }
        }

        // Drain: stop accepting, answer what was received, stop claiming, finish or give back.
        Log.notice("received \(stopSignal == SIGINT ? "SIGINT" : "SIGTERM"); draining")
        notifier.stopping()
        api.draining.store(true, ordering: .relaxed)
        server.quiesce()
        committer.stop()
        let httpDeadline = Date(timeIntervalSinceNow: 5)
        while server.active.load(ordering: .relaxed) > 0 && Date() < httpDeadline { usleep(10_000) }
        server.stop()
        let finished = scheduler.drain(timeoutMillis: loaded.settings.drainTimeoutMillis)
        if !finished {
            let n = (try? store.releaseAll(owner: worker.owner)) ?? 0
            Log.warning(
                "in-flight batches did not finish within \(loaded.settings.drainTimeoutMillis / 1000)s; gave back \(n) leased deliveries"
            )
        }
        if finished { worker.close() }
        Log.notice("stopped")
        return 0
    }
}
