/// The check a template passes before anything is stored that will render it later (a campaign,
/// a message): it exists, renders for the channel's kind with a stand-in contact, and an SMS fits
/// the channel's `max_segments`. A broken template is refused now, never discovered at send time.
public struct TemplateCheck: Sendable {
    public let library: TemplateLibrary
    /// The configured channels' settings (an SMS channel's `max_segments`).
    public let channelSettings: [String: ConfigSection]

    public init(library: TemplateLibrary, channelSettings: [String: ConfigSection]) {
        self.library = library
        self.channelSettings = channelSettings
    }

    /// Renders `template` for `channel` in `locale` with `data` and a stand-in contact.
    /// - Returns: what it rendered.
    /// - Throws: the template's error, or the SMS check's when the text is too long.
    @discardableResult
    public func check(template: String, channel: any Channel, locale: String?, data: JSON) throws -> RenderedTemplate {
        var ctx = data.objectValue ?? [:]
        ctx["contact"] = Contact(email: "someone@example.org", name: "Someone", locale: locale).templateValue
        ctx["unsubscribe_url"] = "https://example.org/unsubscribe/x"
        ctx["confirm_url"] = "https://example.org/confirm/x"
        let r = try library.render(template, kind: channel.kind, locale: locale, context: .object(ctx))
        if channel.kind == .sms, let section = channelSettings[channel.name] {
            _ = try SMSText.check(r.text, channel: section)
        }
        return r
    }
}
