import Foundation

/// Reads the template folder into compiled files; collects per-file problems instead of stopping.
struct TemplateLoader {
    let directory: String
    var templates: [String: [ChannelKind: [String: TemplateLibrary.Variant]]] = [:]
    var sharedFiles: [String: [String: [String: TemplateLibrary.File]]] = [:]
    var problems: [TemplateError] = []

    static let extensions: Set<String> = ["html", "txt", "json"]

    init(directory: String) { self.directory = directory }

    mutating func load() throws(TemplateError) {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: directory, isDirectory: &isDir), isDir.boolValue else {
            throw TemplateError.unreadable(file: directory, reason: "no such folder")
        }
        let entries: [String]
        do { entries = try fm.contentsOfDirectory(atPath: directory).sorted() } catch {
            throw TemplateError.unreadable(file: directory, reason: "the folder cannot be listed")
        }
        for entry in entries where !entry.hasPrefix(".") {
            let path = directory + "/" + entry
            // Files beside the template folders (README and such) are not templates.
            guard fm.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else { continue }
            let files = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
            if entry == "partials" || entry == "layouts" {
                for f in files { loadShared(folder: entry, file: f) }
            } else {
                for f in files { loadVariant(template: entry, file: f) }
            }
        }
    }

    /// `partials/footer.en.html` or `partials/footer.html` (for every locale).
    mutating func loadShared(folder: String, file: String) {
        let path = directory + "/" + folder + "/" + file
        let parts = file.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || parts.count == 3, let ext = parts.last, Self.extensions.contains(ext),
            !parts[0].isEmpty
        else {
            problems.append(
                .badFileName(
                    file: path, message: "name it <name>.<locale>.<ext> or <name>.<ext>, with ext html, txt or json"))
            return
        }
        var locale = ""
        if parts.count == 3 {
            guard Locales.isValid(parts[1]) else {
                problems.append(
                    .badFileName(file: path, message: "'\(parts[1])' is not a language tag like en, da or pt-BR"))
                return
            }
            locale = Locales.canonical(parts[1])
        }
        sharedFiles[folder + "/" + parts[0], default: [:]][locale, default: [:]][ext] = compile(
            path: path, ext: ext, frontMatterAllowed: false)
    }

    /// `<name>/<kind>.<locale>.<ext>`.
    mutating func loadVariant(template: String, file: String) {
        let path = directory + "/" + template + "/" + file
        let parts = file.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let kind = ChannelKind(rawValue: parts[0]), Self.extensions.contains(parts[2]) else {
            problems.append(
                .badFileName(
                    file: path, message: "name it <kind>.<locale>.<ext>: kind email, sms or chat; ext html, txt or json"
                ))
            return
        }
        guard Locales.isValid(parts[1]) else {
            problems.append(
                .badFileName(file: path, message: "'\(parts[1])' is not a language tag like en, da or pt-BR"))
            return
        }
        let ext = parts[2]
        if kind != .email && ext == "html" || kind != .chat && ext == "json" {
            problems.append(
                .badFileName(
                    file: path,
                    message:
                        "\(kind.rawValue) templates cannot be .\(ext): email is .txt and .html, sms .txt, chat .txt and .json"
                ))
            return
        }
        let locale = Locales.canonical(parts[1])
        let f = compile(path: path, ext: ext, frontMatterAllowed: true)
        var v = templates[template, default: [:]][kind, default: [:]][locale] ?? TemplateLibrary.Variant()
        switch ext {
        case "html": v.html = f
        case "json": v.json = f
        default: v.txt = f
        }
        templates[template, default: [:]][kind, default: [:]][locale] = v
    }

    func compile(path: String, ext: String, frontMatterAllowed: Bool) -> TemplateLibrary.File {
        var file = TemplateLibrary.File(path: path, ext: ext)
        guard let data = FileManager.default.contents(atPath: path) else {
            file.problems.append(.unreadable(file: path, reason: "the file cannot be read"))
            return file
        }
        guard var source = String(validating: data, as: UTF8.self) else {
            file.problems.append(.unreadable(file: path, reason: "it is not UTF-8 text"))
            return file
        }
        // Editors on Windows may start a file with a byte order mark; it would hide the front matter.
        if source.hasPrefix("\u{FEFF}") { source.removeFirst() }
        do {
            let fm = try FrontMatter.split(source, file: path)
            if !frontMatterAllowed, !fm.values.isEmpty || fm.lineOffset > 0 {
                file.problems.append(
                    .frontMatter(
                        file: path, line: 1, message: "is only read in template files, not in partials and layouts"))
            }
            file.frontMatter = fm.values
            do { file.approved = try ApprovedTemplateSpec.read(fm, file: path) } catch { file.problems.append(error) }
            if let s = fm.values["subject"] {
                do {
                    file.subject = try Template(
                        source: s, file: path, escaping: .none, firstLine: fm.lines["subject"] ?? 1)
                } catch {
                    file.problems.append(Self.inSubject(error, column: "subject: ".count))
                }
            }
            do {
                file.template = try Template(
                    source: fm.body, file: path, escaping: TemplateEscaping(fileExtension: ext) ?? .none,
                    firstLine: fm.lineOffset + 1)
            } catch {
                file.problems.append(error)
            }
        } catch {
            file.problems.append(error)
        }
        return file
    }

    /// Marks an error as the subject's and moves it to its column on the `subject:` line.
    static func inSubject(_ e: TemplateError, column: Int) -> TemplateError {
        if case .syntax(let f, let l, let c, let m) = e {
            return .syntax(file: f, line: l, column: c + column, message: "in the subject: " + m)
        }
        return e
    }
}
