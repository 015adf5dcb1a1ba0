import Outreach

/// Builds the channels the configuration names.
public enum ChannelFactory {
    public static func make(name: String, section: ConfigSection, config: Config) throws -> any Channel {
        let type = try section.requireString("type")
        switch type {
        case "outbox":
            return try OutboxChannel(name: name, section: section, config: config)
        case "smtp":
            return try SMTPChannel(name: name, section: section, config: config)
        case "webhook":
            return try WebhookChannel(name: name, section: section, config: config)
        case "sms":
            return try SMSChannel(name: name, section: section, config: config)
        default:
            throw section.invalid("type", "'\(type)' is not a channel type (outbox, smtp, webhook or sms)")
        }
    }

    /// Every configured channel, by name.
    public static func makeAll(_ config: Config) throws -> [String: any Channel] {
        var out: [String: any Channel] = [:]
        for (name, section) in config.channels { out[name] = try make(name: name, section: section, config: config) }
        return out
    }
}
