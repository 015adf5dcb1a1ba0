/// The template folder, loaded and compiled once: `<name>/<kind>.<locale>.<ext>`, `layouts/`, `partials/`.
///
/// Problems in single files (a syntax error, bad front matter, an unknown partial) do not stop
/// loading: `check()` lists them all, and rendering a broken variant throws its first problem.
public final class TemplateLibrary: Sendable {
    /// One file of the folder, compiled.
    struct File: Sendable {
        var path: String
        var ext: String
        var template: Template?
        var subject: Template?
        var frontMatter: [String: String] = [:]
        /// The provider-approved template the front matter names (`whatsapp_template`).
        var approved: ApprovedTemplateSpec?
        var problems: [TemplateError] = []
    }

    /// The files of one template for one channel kind and locale.
    struct Variant: Sendable {
        var txt: File?
        var html: File?
        var json: File?
        /// The first problem of a broken variant, so render refuses it.
        var broken: TemplateError?
        /// The partial tables for this locale, looked up once at load time.
        var txtPartials: [String: Template] = [:]
        var htmlPartials: [String: Template] = [:]
        var jsonPartials: [String: Template] = [:]
        /// The front matter of all parts, the text part's winning.
        var frontMatter: [String: String] = [:]
        /// `lang`, `dir` and `align` of the variant's locale (`TextDirection.builtins`), set at load time.
        var builtins: JSON = .object([:])
    }

    public let directory: String
    public let defaultLocale: String
    /// The largest rendered part, in bytes (`[templates] max_render_bytes`).
    public let maxRenderBytes: Int
    let templates: [String: [ChannelKind: [String: Variant]]]
    /// Partials and layouts by name (`partials/footer`, `layouts/email`), then locale ("" when none), then extension.
    let sharedFiles: [String: [String: [String: File]]]
    /// The partial table for each "locale|ext" seen in the folder.
    let tables: [String: [String: Template]]
    /// Problems that belong to no single variant (bad file names, unreadable folders).
    let folderProblems: [TemplateError]

    /// Loads and compiles every file under `directory`; throws only when the folder cannot be read.
    public init(
        directory: String, defaultLocale: String,
        maxRenderBytes: Int = Template.defaultMaxRenderBytes
    ) throws(TemplateError) {
        self.directory = directory
        self.defaultLocale = Locales.canonical(defaultLocale)
        self.maxRenderBytes = maxRenderBytes
        var loader = TemplateLoader(directory: directory)
        try loader.load()
        sharedFiles = loader.sharedFiles
        folderProblems = loader.problems
        var locales: Set<String> = [self.defaultLocale, "en"]
        for (_, kinds) in loader.templates { for (_, byLocale) in kinds { locales.formUnion(byLocale.keys) } }
        for (_, byLocale) in loader.sharedFiles { locales.formUnion(byLocale.keys.filter { !$0.isEmpty }) }
        var tables: [String: [String: Template]] = [:]
        for locale in locales {
            for ext in ["html", "txt", "json"] {
                tables[locale + "|" + ext] = Self.table(
                    loader.sharedFiles, locale: locale, ext: ext, defaultLocale: self.defaultLocale)
            }
        }
        self.tables = tables
        var templates = loader.templates
        for (name, kinds) in loader.templates {
            for (kind, byLocale) in kinds {
                for (locale, v) in byLocale {
                    templates[name]![kind]![locale]!.builtins = TextDirection.builtins(locale: locale)
                    templates[name]![kind]![locale]!.txtPartials = tables[locale + "|txt"] ?? [:]
                    templates[name]![kind]![locale]!.htmlPartials = tables[locale + "|html"] ?? [:]
                    templates[name]![kind]![locale]!.jsonPartials = tables[locale + "|json"] ?? [:]
                    for f in [v.html, v.json, v.txt] {
                        if let f { templates[name]![kind]![locale]!.frontMatter.merge(f.frontMatter) { $1 } }
                    }
                    for f in [v.txt, v.html, v.json] {
                        guard let f else { continue }
                        let table = tables[locale + "|" + f.ext] ?? [:]
                        let problems = Self.problems(of: f, table: table, maxRenderBytes: maxRenderBytes)
                        guard let p = problems.first else { continue }
                        templates[name]![kind]![locale]!.broken = p
                        break
                    }
                }
            }
        }
        self.templates = templates
    }

    /// `next`, except that each variant broken in it (a file that no longer parses, a partial gone)
    /// that works in `previous` is taken from `previous`, with the partials it was compiled with:
    /// a running daemon keeps sending what it sent before a bad edit (`LiveTemplates`).
    init(_ next: TemplateLibrary, keepingWhatWorkedIn previous: TemplateLibrary) {
        directory = next.directory
        defaultLocale = next.defaultLocale
        maxRenderBytes = next.maxRenderBytes
        sharedFiles = next.sharedFiles
        tables = next.tables
        folderProblems = next.folderProblems
        var templates = next.templates
        for (name, kinds) in next.templates {
            for (kind, byLocale) in kinds {
                for (locale, v) in byLocale where v.broken != nil {
                    if let old = previous.templates[name]?[kind]?[locale], old.broken == nil {
                        templates[name]![kind]![locale] = old
                    }
                }
            }
        }
        self.templates = templates
    }

    static func table(_ shared: [String: [String: [String: File]]], locale: String, ext: String, defaultLocale: String)
        -> [String: Template]
    {
        let chain = Locales.fallbackChain(locale, defaultLocale: defaultLocale) + [""]
        var out: [String: Template] = [:]
        for (name, byLocale) in shared {
            for l in chain {
                if let f = byLocale[l]?[ext] {
                    if let t = f.template { out[name] = t }
                    break
                }
            }
        }
        return out
    }

    func partials(locale: String, ext: String) -> [String: Template] {
        tables[locale + "|" + ext] ?? Self.table(sharedFiles, locale: locale, ext: ext, defaultLocale: defaultLocale)
    }

    /// The template names (folder names), sorted.
    public var names: [String] { templates.keys.sorted() }

    public func has(_ template: String) -> Bool { templates[template] != nil }

    /// The locales a template has for a kind (for validating a campaign's audience), sorted.
    public func locales(of template: String, kind: ChannelKind) -> [String] {
        (templates[template]?[kind]?.keys).map { $0.sorted() } ?? []
    }

    /// Every locale some template is written in, and the default, sorted (the languages a person
    /// may choose on their preferences page).
    public var shippedLocales: [String] {
        var all: Set<String> = [defaultLocale]
        for kinds in templates.values { for byLocale in kinds.values { all.formUnion(byLocale.keys) } }
        return all.filter { !$0.isEmpty }.sorted()
    }

    /// Whether the template has files for `kind` in some locale (checked per trigger: no sorting).
    public func has(_ template: String, kind: ChannelKind) -> Bool {
        templates[template]?[kind]?.isEmpty == false
    }

    /// The locale whose files a recipient with `locale` gets: `pt-BR` → `pt` → default → `en`.
    public func resolvedLocale(_ template: String, kind: ChannelKind, locale: String?) -> String? {
        guard let byLocale = templates[template]?[kind] else { return nil }
        // Asked by key alone: reading `byLocale[locale]` would copy the variant out and release it.
        if let locale, byLocale.index(forKey: locale) != nil { return locale }  // the common case, without the chain
        return Locales.fallbackChain(locale, defaultLocale: defaultLocale).first { byLocale.index(forKey: $0) != nil }
    }

    /// Renders the template for one recipient. For email: subject, text and (when present) HTML;
    /// for sms: text; for chat: text and (when present) the JSON body.
    public func render(_ template: String, kind: ChannelKind, locale: String?, context: JSON) throws(TemplateError)
        -> RenderedTemplate
    {
        guard let kinds = templates[template] else { throw TemplateError.unknownTemplate(name: template) }
        guard let byLocale = kinds[kind], let l = resolvedLocale(template, kind: kind, locale: locale),
            let v = byLocale[l]
        else {
            throw TemplateError.noVariant(
                template: template, kind: kind.rawValue,
                locales: Locales.fallbackChain(locale, defaultLocale: defaultLocale))
        }
        // A variant that does not parse or names a missing partial is refused, never sent half-rendered.
        if let p = v.broken { throw p }
        var result = RenderedTemplate(locale: l, text: "", frontMatter: v.frontMatter)
        let max = maxRenderBytes
        let b = v.builtins
        if let f = v.txt {
            result.text = try f.template!.render(context, partials: v.txtPartials, maxBytes: max, builtins: b)
        }
        if kind == .sms { result.approvedTemplate = try v.txt?.approved?.render(context, locale: l) }
        if kind == .email, let f = v.html {
            result.html = try f.template!.render(context, partials: v.htmlPartials, maxBytes: max, builtins: b)
        }
        if kind == .chat, let f = v.json {
            result.json = try f.template!.render(context, partials: v.jsonPartials, maxBytes: max, builtins: b)
        }
        if kind == .email, let s = v.txt?.subject ?? v.html?.subject {
            result.subject = try s.render(context, partials: v.txtPartials, maxBytes: max, builtins: b)
        }
        return result
    }
}
