import Foundation

/// A message template the provider approved (WhatsApp's "message templates"), as a template file's
/// front matter names it for one locale, with its body parameters rendered for one recipient.
public struct ApprovedTemplate: Sendable, Equatable {
    /// The template's name at the provider (`whatsapp_template: event_reminder`).
    public var name: String
    /// The provider's language code (`whatsapp_language`; default: the variant's locale, `pt-BR` → `pt_BR`).
    public var language: String
    /// The body parameters `{{1}}`, `{{2}}`, … in order, rendered (`whatsapp_params`).
    public var parameters: [String]

    public init(name: String, language: String, parameters: [String] = []) {
        self.name = name
        self.language = language
        self.parameters = parameters
    }
}

/// The front matter keys of an approved template, read and compiled when the file is loaded.
struct ApprovedTemplateSpec: Sendable {
    var name: String
    var language: String?
    /// The names of `whatsapp_params`, each compiled as `{{{name}}}`.
    var parameters: [(name: String, template: Template)]

    static let nameKey = "whatsapp_template"
    static let languageKey = "whatsapp_language"
    static let parametersKey = "whatsapp_params"

    /// The spec a file's front matter gives; nil when it names no approved template.
    /// - Throws: `TemplateError.frontMatter` naming the key's line.
    static func read(_ fm: FrontMatter, file: String) throws(TemplateError) -> ApprovedTemplateSpec? {
        func fail(_ key: String, _ message: String) -> TemplateError {
            .frontMatter(file: file, line: fm.lines[key] ?? 1, message: message)
        }
        guard let name = fm.values[nameKey] else {
            for key in [languageKey, parametersKey] where fm.values[key] != nil {
                throw fail(key, "'\(key)' needs '\(nameKey)': the name of the approved template")
            }
            return nil
        }
        // Meta's template names: lower-case letters, digits and underscores.
        guard !name.isEmpty, name.utf8.allSatisfy({ isLowerWordByte($0) }) else {
            throw fail(nameKey, "'\(name)' is not a template name (lower-case letters, digits and '_')")
        }
        let language = fm.values[languageKey]
        if let language, language.isEmpty || !language.utf8.allSatisfy({ isWordByte($0) }) {
            throw fail(languageKey, "'\(language)' is not a language code (e.g. en_US, da, pt_BR)")
        }
        var parameters: [(String, Template)] = []
        if let raw = fm.values[parametersKey] {
            let trimmed = raw.trimmingSpaces
            guard trimmed.hasPrefix("["), trimmed.hasSuffix("]") else {
                throw fail(parametersKey, "must be a list of names in brackets, e.g. [event.when, event.location]")
            }
            let inner = trimmed.dropFirst().dropLast()
            let items =
                inner.trimmingSpacesSubstring.isEmpty
                ? [] : inner.split(separator: ",", omittingEmptySubsequences: false)
            for item in items {
                var n = String(item).trimmingSpaces
                if n.count >= 2, n.hasPrefix("\""), n.hasSuffix("\"") { n = String(n.dropFirst().dropLast()) }
                guard !n.isEmpty, n.utf8.allSatisfy({ isWordByte($0) || $0 == UInt8(ascii: ".") }) else {
                    throw fail(parametersKey, "'\(n)' is not a value name such as event.when or contact.first_name")
                }
                do {
                    parameters.append((n, try Template(source: "{{{" + n + "}}}", file: file, escaping: .none)))
                } catch {
                    throw fail(parametersKey, "'\(n)' is not a value name such as event.when or contact.first_name")
                }
            }
        }
        return ApprovedTemplateSpec(name: name, language: language, parameters: parameters)
    }

    /// The template with its parameters rendered in `context`; `locale` is the variant's.
    func render(_ context: JSON, locale: String) throws(TemplateError) -> ApprovedTemplate {
        var values: [String] = []
        for p in parameters { values.append(try p.template.render(context)) }
        return ApprovedTemplate(
            name: name, language: language ?? locale.replacingOccurrences(of: "-", with: "_"), parameters: values)
    }

    static func isWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }

    static func isLowerWordByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) || b == 0x5F
    }
}
