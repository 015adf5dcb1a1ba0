import Foundation

/// What recipients read as the name of an event or a list: one title for every language, and
/// translations by language tag (`--title "Dinner club" --title da="Fællesspisning"`).
public struct LocalizedTitle: Sendable, Equatable {
    /// The title for a language without its own.
    public var text: String { didSet { text = text.singleLine } }
    /// Canonical language tag (`da`, `pt-BR`) → title.
    public private(set) var translations: [String: String]

    public init(_ text: String, translations: [String: String] = [:]) {
        self.text = text.singleLine
        self.translations = [:]
        for (tag, t) in translations { set(t, for: tag) }
    }

    /// Sets (or, with an empty text, removes) the title of one language.
    public mutating func set(_ title: String, for tag: String) {
        let t = title.singleLine
        translations[Locales.canonical(tag)] = t.isEmpty ? nil : t
    }

    /// The title for the language a message is written in: `pt-BR`, then `pt`, then the title for
    /// every language. The caller passes the locale of the template variant it renders, so the
    /// title is in the language of the text around it.
    public func text(for locale: String?) -> String {
        guard !translations.isEmpty, let locale, !locale.isEmpty else { return text }
        var parts = Locales.canonical(locale).split(separator: "-").map(String.init)
        while !parts.isEmpty {
            if let t = translations[parts.joined(separator: "-")] { return t }
            parts.removeLast()
        }
        return text
    }

    /// The translations as stored and shown: `{"da": "Fællesspisning"}`.
    public var translationsJSON: JSON { .object(translations.mapValues { .string($0) }) }

    /// Reads stored translations back (anything that is not a string is skipped).
    public init(_ text: String, translationsJSON: JSON?) {
        var t: [String: String] = [:]
        for (k, v) in translationsJSON?.objectValue ?? [:] { if let s = v.stringValue { t[k] = s } }
        self.init(text, translations: t)
    }
}

/// A `--title` value that cannot be used; says what to write.
public struct TitleError: Error, Sendable, Equatable, CustomStringConvertible {
    public var reason: String
    public var description: String { "--title: " + reason }
}

extension LocalizedTitle {
    /// The `--title` values of a command, in order: `TEXT` is the title for every language,
    /// `LANG=TEXT` (a language tag, `=`, the title) one language's; `LANG=` removes that language's.
    /// A text whose part before the first `=` is not a language tag is a plain title
    /// (`--title "2+2=4 night"`).
    public struct Changes: Sendable, Equatable {
        public var text: String?
        public var translations: [(tag: String, title: String)]
        public var isEmpty: Bool { text == nil && translations.isEmpty }

        public static func == (a: Changes, b: Changes) -> Bool {
            a.text == b.text && a.translations.map(\.tag) == b.translations.map(\.tag)
                && a.translations.map(\.title) == b.translations.map(\.title)
        }

        /// - Throws: `TitleError` for an empty title, two titles for every language, or one
        ///   language given twice.
        public init(parsing values: [String]) throws(TitleError) {
            text = nil
            translations = []
            for v in values {
                if let eq = v.firstIndex(of: "="), Self.isTag(v[..<eq]) {
                    let tag = Locales.canonical(String(v[..<eq]))
                    guard !translations.contains(where: { $0.tag == tag }) else {
                        throw TitleError(reason: "the title in '\(tag)' is given twice")
                    }
                    translations.append((tag, String(v[v.index(after: eq)...])))
                    continue
                }
                guard !v.singleLine.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw TitleError(reason: "must not be empty (LANG= with nothing after it removes a language's)")
                }
                guard text == nil else {
                    throw TitleError(
                        reason: "two titles for every language ('\(text!)' and '\(v)'); give the others as LANG=TITLE")
                }
                text = v
            }
        }

        /// A language tag as `Locales` reads them, starting with a lower-case language (`da`, `pt-BR`,
        /// `pt_br`): so "A=B" or "Q&A=…" stay titles.
        static func isTag(_ s: Substring) -> Bool {
            guard let first = s.first, first.isLowercase else { return false }
            return Locales.isValid(Locales.canonical(String(s)))
        }

        public init(text: String? = nil, translations: [(tag: String, title: String)] = []) {
            self.text = text
            self.translations = translations
        }
    }

    /// This title with `changes` applied: a new text for every language, languages set or removed.
    public func applying(_ changes: Changes) -> LocalizedTitle {
        var out = self
        if let t = changes.text { out.text = t }
        for (tag, title) in changes.translations { out.set(title, for: tag) }
        return out
    }
}
