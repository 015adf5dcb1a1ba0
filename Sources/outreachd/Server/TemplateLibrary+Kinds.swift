import Outreach

extension TemplateLibrary {
    /// Whether the template has files for a channel kind (`email`, `sms`, `chat`) in any locale.
    func has(_ template: String, kind: String) -> Bool {
        guard let k = ChannelKind(rawValue: kind) else { return false }
        return !locales(of: template, kind: k).isEmpty
    }
}
