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
        let parts = try compose(loaded)
        let config = loaded.config

        try parts.services.start()
        for w in config.warnings { Log.warning(w) }
        if WallClock.testOffset != 0 {
            Log.warning("OUTREACH_TEST_CLOCK_OFFSET moves the clock by \(WallClock.testOffset / 1000) s (tests only)")
        }
        if loaded.settings.tokens.isEmpty && loaded.settings.webhookSecret == nil {
            Log.warning("no [server] tokens_file or webhook_secret_file: POST /v1/messages will refuse every request")
        }
        let channelNames = config.channels.keys.sorted().joined(separator: ", ")
        let status = "Listening on \(parts.http.address), channels: \(channelNames)"
        Log.notice(
            "outreachd \(CLI.version) started; \(status.prefix(1).lowercased() + status.dropFirst()); data in \(config.dataDir)"
        )
        for h in parts.hooks {
            Log.notice("hook \(h.name) posts \(h.events.map(\.rawValue).joined(separator: ", "))")
        }
        notifier.ready(status: status)

        let tick = notifier.watchdogInterval.map { min($0, 5) } ?? 5
        var stopSignal: Int32 = 0
        while stopSignal == 0 {
            parts.api.storeHealth.check(parts.store)
            // Requests and sends look at the template folder too; this says a broken change on an idle daemon.
            parts.templates.poll()
            Self.runDueCampaigns(parts.store, scheduler: parts.delivery.scheduler)
            switch signals.wait(seconds: tick) {
            case .timeout:
                if notifier.watchdogInterval != nil { notifier.watchdog() }
            case .reload:
                notifier.reloading()
                if let next = reload(from: loaded, into: parts) { loaded = next }
                notifier.ready(status: status)
            case .terminate(let s):
                stopSignal = s
            }
        }

        // Drain in the reverse order of start: stop accepting and answer what was received, write
        // what the committer holds, stop claiming and finish or give back the batches in flight.
        Log.notice("received \(stopSignal == SIGINT ? "SIGINT" : "SIGTERM"); draining")
        notifier.stopping()
        parts.services.drain()
        // Another node takes the duties at its next look rather than when this process exits.
        parts.store.resignDuties()
        Log.notice("stopped")
        return 0
    }
}
