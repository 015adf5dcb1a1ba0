/// The direction a language is written in: what an HTML part's `dir` attribute says.
public enum TextDirection: String, Sendable, Equatable {
    case ltr, rtl

    /// Languages written right to left: Arabic, Persian, Hebrew, Urdu, Pashto, Central Kurdish
    /// (Sorani), Yiddish, Dhivehi, and a few more written in the Arabic or Hebrew script.
    static let rightToLeftLanguages: Set<String> = [
        "ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv", "iw", "sd", "ug", "syr", "arc", "nqo",
    ]
    /// Scripts written right to left; a script subtag wins over the language (`az-Arab`, `ar-Latn`).
    static let rightToLeftScripts: Set<String> = ["Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg", "Mand"]

    /// The direction of `locale` (a BCP 47 tag, any case, `_` or `-`): `rtl` for the languages and
    /// scripts above, `ltr` for everything else, including an empty or unknown tag.
    public init(locale: String) {
        let parts = Locales.canonical(locale).split(separator: "-").map(String.init)
        if let script = parts.dropFirst().first(where: { $0.count == 4 && $0.first!.isLetter }) {
            self = Self.rightToLeftScripts.contains(script) ? .rtl : .ltr
        } else {
            self = parts.first.map { Self.rightToLeftLanguages.contains($0) } == true ? .rtl : .ltr
        }
    }

    /// The side a line starts on, for styles a layout writes out (`text-align`, `border-left`).
    public var startSide: String { self == .rtl ? "right" : "left" }

    /// What every part of a variant in `locale` sees besides its data: `lang` (the variant's locale),
    /// `dir` (`ltr` or `rtl`) and `align` (its start side), so one layout serves both directions.
    static func builtins(locale: String) -> JSON {
        let d = TextDirection(locale: locale)
        return ["lang": .string(locale), "dir": .string(d.rawValue), "align": .string(d.startSide)]
    }
}
