/// Builds what a template sees: the data at top level, plus `contact`, `event`, `campaign`, `list`,
/// `unsubscribe_url`, `confirm_url` and `preferences_url` (these win over data keys of the same name).
public enum TemplateContext {
    public static func make(
        data: JSON = .object([:]), contact: Contact? = nil, event: JSON? = nil, campaign: JSON? = nil,
        list: JSON? = nil, unsubscribeURL: String? = nil, confirmURL: String? = nil,
        preferencesURL: String? = nil
    ) -> JSON {
        var o = data.objectValue ?? [:]
        if let contact { o["contact"] = contact.templateValue }
        if let event { o["event"] = event }
        if let campaign { o["campaign"] = campaign }
        if let list { o["list"] = list }
        if let unsubscribeURL { o["unsubscribe_url"] = .string(unsubscribeURL) }
        if let confirmURL { o["confirm_url"] = .string(confirmURL) }
        if let preferencesURL { o["preferences_url"] = .string(preferencesURL) }
        return .object(o)
    }
}

extension TemplateContext {
    /// The data a message's template sees before the built-in keys, each layer winning over the
    /// one before: the `[sender]` defaults (`organisation`, `website`, `postal_address`), the
    /// list's data, the message's own data (a send's or campaign's `--data`, an event's). A `list`
    /// object the data gives itself (a send to no list) gets a `title`, its `name`, when it has none.
    /// Per-language values are written in `locale`, the variant's (`LocalizedData`); one with no
    /// value for it nor for `defaultLocale` gets its first language's, which `checkedData` refuses.
    public static func data(
        defaults: [String: JSON], list: ListDetails?, message: JSON, locale: String?, defaultLocale: String
    ) -> [String: JSON] {
        LocalizedData.resolved(layered(defaults, list, message), locale: locale, defaultLocale: defaultLocale).data
    }

    /// `data`, refusing a per-language value with no value for `locale` nor for `defaultLocale`.
    /// - Throws: `LocalizedData.Missing` naming the first such value.
    public static func checkedData(
        defaults: [String: JSON], list: ListDetails?, message: JSON, locale: String?, defaultLocale: String
    ) throws(LocalizedData.Missing) -> [String: JSON] {
        let r = LocalizedData.resolved(layered(defaults, list, message), locale: locale, defaultLocale: defaultLocale)
        if let first = r.missing.min(by: { $0.key < $1.key }) { throw first }
        return r.data
    }

    private static func layered(_ defaults: [String: JSON], _ list: ListDetails?, _ message: JSON) -> [String: JSON] {
        var o = defaults
        for (k, v) in list?.data.objectValue ?? [:] { o[k] = v }
        for (k, v) in message.objectValue ?? [:] { o[k] = v }
        if case .object(var given)? = o["list"], given["title"] == nil, let name = given["name"] {
            given["title"] = name
            o["list"] = .object(given)
        }
        return o
    }

    /// `list` as a template sees it: `name` (the slug) and `title` (in `locale`, else for every
    /// language, else the name).
    public static func list(name: String, details: ListDetails?, locale: String?) -> JSON {
        let title = (details ?? ListDetails()).titles(name: name).text(for: locale)
        return ["name": .string(name), "title": .string(title)]
    }
}
