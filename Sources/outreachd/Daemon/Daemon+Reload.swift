import Channels
import Outreach

extension Daemon {
    /// SIGHUP: reads the configuration and the templates again and hands what may change while
    /// running to the parts. Returns what was loaded, or nil (logged) when the old one is kept.
    func reload(from loaded: Loaded, into parts: Parts) -> Loaded? {
        do {
            let next = try load()
            // Channels are built once, at start: a change is compared with what runs, so it is
            // said again on every reload until a restart applies it.
            let changed = try Self.checkChannels(of: next.config, against: parts.config)
            if Set(next.config.channels.keys) != Set(parts.config.channels.keys) {
                Log.warning("channels were added or removed in the configuration; restart outreachd to apply that")
            }
            if !changed.isEmpty {
                Log.warning(
                    "settings of \(changed.map { "[channels.\($0)]" }.joined(separator: ", ")) changed; apart from quiet hours they apply after a restart"
                )
            }
            // Hooks too are built once: a bad one fails the reload, a change waits for a restart.
            if try Self.hooksChanged(in: next.config, against: parts.config) {
                Log.warning(
                    "[hooks] were added, removed or changed in the configuration; restart outreachd to apply that")
            }
            // The bounce mailbox too is read as set at start; a bad [bounces] fails the reload.
            if try BounceMailboxSettings.from(next.config) != (try? BounceMailboxSettings.from(parts.config)) {
                Log.warning("[bounces] mailbox settings changed; restart outreachd to apply that")
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
            parts.api.live.replace(Self.live(next, channels: parts.channels))
            parts.http.server.maxBodyBytes.store(next.settings.maxBodyBytes, ordering: .relaxed)
            parts.http.server.trustProxy.store(next.settings.trustProxy, ordering: .relaxed)
            parts.delivery.drainTimeoutMillis.store(next.settings.drainTimeoutMillis, ordering: .relaxed)
            parts.worker.quietHours.withLock { $0 = next.quiet }
            parts.composer.replace(TemplateComposer(library: next.library, config: next.config, links: parts.links))
            // After the composer and the API took the new library: the watcher starts from it.
            parts.templates.replace(next.library)
            Log.notice("reloaded the configuration and \(next.library.names.count) templates")
            return next
        } catch {
            Log.error("reload failed, keeping the previous configuration: \(CLI.sentence(error))")
            return nil
        }
    }

    /// What SIGHUP checks in the new configuration's channels before taking it: each is built as
    /// at start (and closed again), so a bad or mistyped setting fails the reload, not a send.
    /// Returns the channels whose settings changed, which keep their old ones until a restart.
    static func checkChannels(of next: Config, against current: Config) throws -> [String] {
        // Quiet hours are taken on reload; everything else a channel holds is built at start.
        let reloaded: Set<String> = ["quiet_hours", "quiet_hours_zone"]
        var changed: [String] = []
        for (name, section) in next.channels.sorted(by: { $0.key < $1.key }) {
            let channel = try ChannelFactory.make(name: name, section: section, config: next)
            channel.close()
            _ = try ChannelSchedule.checked(section: section, channel: channel)
            if let old = current.channels[name], old.values(except: reloaded) != section.values(except: reloaded) {
                changed.append(name)
            }
        }
        return changed
    }

    /// What SIGHUP checks of the new configuration's hooks: each is built as at start (and closed).
    /// Returns whether they differ from those running.
    static func hooksChanged(in next: Config, against current: Config) throws -> Bool {
        for channel in try ChannelFactory.makeHooks(next) { channel.close() }
        return next.hooks.mapValues { $0.values() } != current.hooks.mapValues { $0.values() }
    }
}
