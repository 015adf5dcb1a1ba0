extension TemplateLibrary {
    /// Every problem in the folder, for `outreachd check`: parse errors, bad front matter and file
    /// names, unknown partials or parents, emails without a subject, HTML without a text part, and
    /// files whose partials expand past `maxRenderBytes`.
    public func check() -> [TemplateError] {
        var out = folderProblems
        for name in sharedFiles.keys.sorted() {
            for (locale, byExt) in sharedFiles[name]!.sorted(by: { $0.key < $1.key }) {
                for (_, f) in byExt.sorted(by: { $0.key < $1.key }) {
                    out += problems(of: f, locale: locale.isEmpty ? defaultLocale : locale)
                }
            }
        }
        for name in names {
            for kind in [ChannelKind.email, .sms, .chat] {
                guard let byLocale = templates[name]?[kind] else { continue }
                for (locale, v) in byLocale.sorted(by: { $0.key < $1.key }) {
                    for f in [v.txt, v.html, v.json] {
                        if let f { out += problems(of: f, locale: locale) }
                    }
                    if kind == .email {
                        if let h = v.html, v.txt == nil { out.append(.htmlWithoutText(file: h.path)) }
                        if v.txt?.frontMatter["subject"] == nil, v.html?.frontMatter["subject"] == nil,
                            let f = v.txt ?? v.html
                        {
                            out.append(.missingSubject(file: f.path))
                        }
                    }
                }
            }
        }
        return out
    }

    /// Problems of one file: its own, then partials and parents it names that do not resolve for its locale.
    func problems(of f: File, locale: String) -> [TemplateError] {
        Self.problems(of: f, table: partials(locale: locale, ext: f.ext), maxRenderBytes: maxRenderBytes)
    }

    static func problems(of f: File, table: [String: Template], maxRenderBytes: Int) -> [TemplateError] {
        var out = f.problems
        guard let t = f.template else { return out }
        for r in t.references where table[r.name] == nil {
            out.append(
                r.isParent
                    ? .unknownParent(name: r.name, file: f.path, line: r.line, column: r.column)
                    : .unknownPartial(name: r.name, file: f.path, line: r.line, column: r.column))
        }
        if t.expansionSize(partials: table) > maxRenderBytes {
            out.append(.renderTooLarge(file: f.path, limit: maxRenderBytes))
        }
        return out
    }
}

extension TemplateLibrary {
    /// The problems of one template (all kinds and locales), for refusing a campaign before it is queued.
    public func problems(of template: String) -> [TemplateError] {
        guard has(template) else { return [.unknownTemplate(name: template)] }
        let prefix = directory + "/" + template + "/"
        return check().filter { e in
            switch e {
            case .syntax(let f, _, _, _), .unknownPartial(_, let f, _, _), .unknownParent(_, let f, _, _),
                .frontMatter(let f, _, _),
                .missingSubject(let f), .htmlWithoutText(let f), .badFileName(let f, _), .unreadable(let f, _),
                .renderTooLarge(let f, _):
                return f.hasPrefix(prefix)
            default: return false
            }
        }
    }
}
