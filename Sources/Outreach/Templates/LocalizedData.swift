/// Per-language values in template data, so one campaign (or send, event, API message) serves
/// every language: `{"title": {"en": "Newsletter", "da": "Nyhedsbrev"}}` is `{{title}}` in the
/// language of the template variant rendered for each recipient.
///
/// An object is per-language when every key is a language code (an ISO 639-1 language, `da`,
/// optionally with a region, `pt-BR`) and it has a value for the default language or at least two
/// languages. So `{"order": {"id": 17}}` stays an ordinary object (`id`, Indonesian, is not the
/// default language and is alone), and a key that is not a language code keeps any object ordinary.
/// A value is looked up `pt-BR` → `pt` → the template library's default language.
public enum LocalizedData {
    /// A per-language value with no value for the language a message is written in nor for the
    /// default: refused before anything is stored.
    public struct Missing: Error, Sendable, Equatable, CustomStringConvertible {
        /// Where the value is in the data: `title`, `items[1].name`.
        public var key: String
        /// The language of the template variant rendered.
        public var locale: String
        public var defaultLocale: String
        /// The languages the value has, sorted.
        public var has: [String]

        public var description: String {
            let needed = locale == defaultLocale ? locale : "\(locale) or \(defaultLocale) (the default language)"
            return "The data value '\(key)' has no \(needed) text, only \(has.joined(separator: ", ")); "
                + "add an \"\(defaultLocale)\" value, which every language without its own falls back to."
        }
    }

    /// Whether an object is a per-language value (see the type's rule).
    public static func isLocalized(_ o: [String: JSON], defaultLocale: String) -> Bool {
        guard !o.isEmpty, o.count >= 2 || o[defaultLocale] != nil else { return false }
        return o.keys.allSatisfy(isLanguageCode)
    }

    /// `data` as written in `locale` (nil: the default language): every per-language value, at any
    /// depth, replaced by its value for `locale`, its language, or the default language. One with
    /// none of these (which the checks before storing refuse) gets its alphabetically first
    /// language's, so a message is never sent with a gap; `missing` lists those.
    public static func resolved(_ data: [String: JSON], locale: String?, defaultLocale: String)
        -> (data: [String: JSON], missing: [Missing])
    {
        let lookup = Lookup(locale: locale, defaultLocale: Locales.canonical(defaultLocale))
        var missing: [Missing] = []
        var out = data
        for (k, v) in data where v.mayHoldObjects {
            out[k] = lookup.resolve(v, path: k, missing: &missing)
        }
        return (out, missing)
    }

    /// The lookup order for one language: `pt-BR`, `pt`, the default language.
    struct Lookup {
        var chain: [String] = []
        let defaultLocale: String

        init(locale: String?, defaultLocale: String) {
            self.defaultLocale = defaultLocale
            if let l = locale, !l.isEmpty {
                var parts = Locales.canonical(l).split(separator: "-").map(String.init)
                while !parts.isEmpty {
                    chain.append(parts.joined(separator: "-"))
                    parts.removeLast()
                }
            }
            if !chain.contains(defaultLocale) { chain.append(defaultLocale) }
        }

        func resolve(_ v: JSON, path: String, missing: inout [Missing]) -> JSON {
            switch v {
            case .object(let o) where isLocalized(o, defaultLocale: defaultLocale):
                let byTag = Dictionary(o.map { (Locales.canonical($0.key), $0.value) }) { a, _ in a }
                if let hit = chain.lazy.compactMap({ byTag[$0] }).first {
                    return resolve(hit, path: path, missing: &missing)
                }
                let has = byTag.keys.sorted()
                missing.append(Missing(key: path, locale: chain[0], defaultLocale: defaultLocale, has: has))
                return resolve(byTag[has[0]]!, path: path, missing: &missing)
            case .object(var o):
                for (k, x) in o where x.mayHoldObjects {
                    o[k] = resolve(x, path: path + "." + k, missing: &missing)
                }
                return .object(o)
            case .array(var a):
                for i in a.indices where a[i].mayHoldObjects {
                    a[i] = resolve(a[i], path: path + "[\(i)]", missing: &missing)
                }
                return .array(a)
            default:
                return v
            }
        }
    }

    /// `da`, `pt-BR` (also written `pt-br` or `pt_BR`): an ISO 639-1 language in lower case,
    /// optionally a two-letter region.
    static func isLanguageCode(_ key: String) -> Bool {
        let u = Array(key.utf8)
        guard u.count == 2 || u.count == 5, u[0] >= 0x61, u[0] <= 0x7A, u[1] >= 0x61, u[1] <= 0x7A,
            iso639_1.contains(String(key.prefix(2)))
        else { return false }
        if u.count == 2 { return true }
        return (u[2] == 0x2D || u[2] == 0x5F) && u[3...].allSatisfy { ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }
    }

    /// The two-letter languages of ISO 639-1.
    static let iso639_1: Set<String> = Set(
        """
        aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz
        ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik
        io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml
        mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd
        se sg si sk sl sm sn so sq sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi
        vo wa wo xh yi yo za zh zu
        """.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
}

extension JSON {
    /// Only objects and arrays can hold a per-language value; strings and numbers are skipped.
    var mayHoldObjects: Bool {
        switch self {
        case .object, .array: true
        default: false
        }
    }
}

extension TemplateLibrary {
    /// The first per-language value in `data` with no value for the language of the variant a
    /// reader of `locale` gets, nor for the default: what a caller that does not render (the API)
    /// refuses before storing.
    public func missingValue(in data: JSON, template: String, kind: ChannelKind, locale: String?)
        -> LocalizedData.Missing?
    {
        guard let o = data.objectValue, o.values.contains(where: \.mayHoldObjects) else { return nil }
        let written = resolvedLocale(template, kind: kind, locale: locale) ?? locale
        return LocalizedData.resolved(o, locale: written, defaultLocale: defaultLocale).missing.min { $0.key < $1.key }
    }
}
