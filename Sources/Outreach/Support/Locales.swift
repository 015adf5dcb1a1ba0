/// BCP 47 language tags as the product uses them (`da`, `pt-BR`, `zh-Hant`).
public enum Locales {
    /// A tag is a 2–3 letter language, then subtags of 2–8 letters or digits.
    public static func isValid(_ tag: String) -> Bool {
        if isSimpleLanguage(tag) { return true }
        let parts = tag.split(separator: "-", omittingEmptySubsequences: false)
        guard let lang = parts.first, (2...3).contains(lang.count), lang.allSatisfy({ $0.isASCII && $0.isLetter })
        else { return false }
        for p in parts.dropFirst() {
            guard (2...8).contains(p.count), p.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else {
                return false
            }
        }
        return true
    }

    /// `da`, `sv`: two or three lower-case ASCII letters, the common case.
    static func isSimpleLanguage(_ tag: String) -> Bool {
        let u = tag.utf8
        return (2...3).contains(u.count) && u.allSatisfy { $0 >= 0x61 && $0 <= 0x7A }
    }

    /// `pt_br` / `PT-br` → `pt-BR`.
    public static func canonical(_ tag: String) -> String {
        if isSimpleLanguage(tag) { return tag }
        return asciiCanonical(tag) ?? unicodeCanonical(tag)
    }

    static func unicodeCanonical(_ tag: String) -> String {
        let parts = tag.replacingOccurrences(of: "_", with: "-").split(separator: "-")
        guard let first = parts.first else { return tag }
        var out = first.lowercased()
        for p in parts.dropFirst() {
            out += "-"
            if p.count == 2 {
                out += p.uppercased()
            } else if p.count == 4 {
                out += p.prefix(1).uppercased() + p.dropFirst().lowercased()
            } else {
                out += p.lowercased()
            }
        }
        return out
    }

    /// `canonical` for an ASCII tag, on its bytes: the case mappings of ASCII letters are ASCII, so
    /// this is what `unicodeCanonical` makes, without its strings per subtag (every
    /// message to a `pt-BR` reader resolves its template's locale). Nil for other tags (non-ASCII, control characters).
    static func asciiCanonical(_ tag: String) -> String? {
        let bytes = Array(tag.utf8)
        // Printable only: a CR LF is one Character, and `unicodeCanonical` counts Characters.
        guard bytes.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return nil }
        let parts = bytes.split(whereSeparator: { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") })
        guard !parts.isEmpty else { return tag }
        func lower(_ b: UInt8) -> UInt8 { b >= 0x41 && b <= 0x5A ? b + 0x20 : b }
        func upper(_ b: UInt8) -> UInt8 { b >= 0x61 && b <= 0x7A ? b - 0x20 : b }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for (n, p) in parts.enumerated() {
            if n > 0 { out.append(UInt8(ascii: "-")) }
            for (i, b) in p.enumerated() {
                out.append(n > 0 && (p.count == 2 || (p.count == 4 && i == 0)) ? upper(b) : lower(b))
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The lookup order for a recipient's locale: `pt-BR` → `pt` → default → `en`.
    public static func fallbackChain(_ locale: String?, defaultLocale: String) -> [String] {
        var chain: [String] = []
        func add(_ l: String) { if !chain.contains(l) { chain.append(l) } }
        if let l = locale, !l.isEmpty {
            let c = canonical(l)
            var parts = c.split(separator: "-").map(String.init)
            while !parts.isEmpty {
                add(parts.joined(separator: "-"))
                parts.removeLast()
            }
        }
        add(defaultLocale)
        add("en")
        return chain
    }
}
