import Foundation
import Outreach
import Channels

extension CommandContext {
    /// The template folder, compiled once.
    var templates: TemplateLibrary {
        get throws {
            if let t = cachedTemplates { return t }
            let c = try config
            let t = try TemplateLibrary(
                directory: c.templatesDir, defaultLocale: c.defaultLocale,
                maxRenderBytes: c.maxRenderBytes)
            cachedTemplates = t
            return t
        }
    }

    /// Every configured channel; a setting nothing reads (a typo) is refused here, as by `serve`.
    var channels: [String: any Channel] {
        get throws { try channelsAndSchedules().channels }
    }

    /// The channels and what is read beside each: both built, so every setting has been read.
    private func channelsAndSchedules() throws -> (
        channels: [String: any Channel], schedules: [String: ChannelSchedule]
    ) {
        let config = try config
        let channels = try ChannelFactory.makeAll(config)
        var schedules: [String: ChannelSchedule] = [:]
        for (name, section) in config.channels {
            guard let channel = channels[name] else { continue }
            schedules[name] = try ChannelSchedule.checked(section: section, channel: channel)
        }
        return (channels, schedules)
    }

    /// A worker over the configured channels (or only those named).
    func worker(only names: [String]) throws -> DeliveryWorker {
        let config = try config
        var (channels, schedules) = try channelsAndSchedules()
        if !names.isEmpty {
            for n in names where channels[n] == nil {
                throw UnknownChannel(n, configured: channels.keys)
            }
            channels = channels.filter { names.contains($0.key) }
        }
        let store = try store
        var policies: [String: RetryPolicy] = [:]
        var quiet: [String: QuietHours] = [:]
        for (n, schedule) in schedules {
            policies[n] = schedule.policy
            quiet[n] = schedule.quiet
            // Paced by `rate` as under serve, through the store: on PostgreSQL in step with the
            // running nodes. Batches stay the channel's own size: a run that is killed can resend
            // one batch, where serve keeps a batch to the connections.
            if let raw = channels[n] {
                channels[n] = PacedChannel(raw, rate: schedule.rate, batchCap: nil, pacing: store)
            }
        }
        let composer = try composer
        // Quiet hours hold deliveries here as under serve: a `work` run from cron at night waits too.
        // After the channels: the redactor knows every secret they read.
        return DeliveryWorker(
            store: store, channels: channels, composer: composer, policies: policies, quietHours: quiet,
            redactor: SecretRedactor(secrets: config.secretValues)
        ) { Output.error($0) }
    }

    /// Renders deliveries and builds their email as the worker does (`campaigns preview` shows its work).
    var composer: TemplateComposer {
        get throws {
            let config = try config
            return TemplateComposer(library: try templates, config: config, links: try LinkSigner.load(config: config))
        }
    }

    /// Reads addresses given on the command line: phone numbers without + take the top-level
    /// default country, else an SMS channel's.
    var validator: ContactValidator {
        get throws {
            let config = try config
            let smsCountry = config.channels.values.lazy.compactMap { try? $0.string("default_country") }.first
            return ContactValidator(defaultCountry: config.defaultCountry ?? smsCountry)
        }
    }

    /// Refuses a template that does not exist or does not render for the channel's kind.
    var templateCheck: TemplateCheck {
        get throws {
            let config = try config
            return TemplateCheck(
                library: try templates, channelSettings: config.channels, defaults: config.templateDefaults)
        }
    }
}
