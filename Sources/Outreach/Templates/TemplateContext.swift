/// Builds what a template sees: the data at top level, plus `contact`, `event`, `campaign`, `list`,
/// `unsubscribe_url` and `confirm_url` (these win over data keys of the same name).
public enum TemplateContext {
    public static func make(
        data: JSON = .object([:]), contact: Contact? = nil, event: JSON? = nil, campaign: JSON? = nil,
        list: JSON? = nil, unsubscribeURL: String? = nil, confirmURL: String? = nil
    ) -> JSON {
        var o = data.objectValue ?? [:]
        if let contact { o["contact"] = contact.templateValue }
        if let event { o["event"] = event }
        if let campaign { o["campaign"] = campaign }
        if let list { o["list"] = list }
        if let unsubscribeURL { o["unsubscribe_url"] = .string(unsubscribeURL) }
        if let confirmURL { o["confirm_url"] = .string(confirmURL) }
        return .object(o)
    }
}
