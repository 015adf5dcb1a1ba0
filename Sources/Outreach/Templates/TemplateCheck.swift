/// The check a template passes before anything is stored that will render it later (a campaign,
/// a message): it exists, renders for the channel's kind with a stand-in contact, and an SMS fits
/// the channel's `max_segments`. A broken template is refused now, never discovered at send time.
public struct TemplateCheck: Sendable {
    public let library: TemplateLibrary
    /// The configured channels' settings (an SMS channel's `max_segments`).
    public let channelSettings: [String: ConfigSection]
    /// What every template sees from `[sender]` (`Config.templateDefaults`).
    public let defaults: [String: JSON]

    public init(library: TemplateLibrary, channelSettings: [String: ConfigSection], defaults: [String: JSON] = [:]) {
        self.library = library
        self.channelSettings = channelSettings
        self.defaults = defaults
    }

    /// Renders `template` for `channel` in `locale` with a stand-in contact and the data a message
    /// would see: `defaults`, the list's data, `data`, its per-language values in the variant's language.
    /// - Parameter list: the list the message goes to, when it goes to one.
    /// - Returns: what it rendered.
    /// - Throws: the template's error, `LocalizedData.Missing` for a per-language value without that
    ///   language or the default, or the SMS check's when the text is too long.
    @discardableResult
    public func check(template: String, channel: any Channel, locale: String?, data: JSON, list: MailingList? = nil)
        throws -> RenderedTemplate
    {
        let written = library.resolvedLocale(template, kind: channel.kind, locale: locale) ?? locale
        var ctx = try TemplateContext.checkedData(
            defaults: defaults, list: list?.details, message: data, locale: written,
            defaultLocale: library.defaultLocale)
        if let list { ctx["list"] = TemplateContext.list(name: list.name, details: list.details, locale: written) }
        ctx["contact"] = Contact(email: "someone@example.org", name: "Someone", locale: locale).templateValue
        ctx["unsubscribe_url"] = "https://example.org/unsubscribe/x"
        ctx["confirm_url"] = "https://example.org/confirm/x"
        ctx["preferences_url"] = "https://example.org/preferences/x"
        let r = try library.render(template, kind: channel.kind, locale: locale, context: .object(ctx))
        if channel.kind == .sms, let section = channelSettings[channel.name] {
            _ = try SMSText.check(r.text, channel: section)
        }
        return r
    }
}
