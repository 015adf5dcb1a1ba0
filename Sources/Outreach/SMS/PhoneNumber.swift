/// E.164 phone numbers: the form every contact's phone is stored in and SMS gateways receive.
public enum PhoneNumber {
    /// Normalises to E.164 ("+4521436677"); local numbers get `defaultCountry` (ISO 3166 alpha-2, e.g. "DK") calling code.
    ///
    /// Accepts spaces, dashes, dots, slashes, parentheses, a leading `+` or `00`, and the
    /// "+44 (0)20…" style. A national trunk prefix (0 in most of Europe, 1 in North America, 06 in
    /// Hungary) is dropped from local numbers where the country uses one.
    public static func normalize(_ raw: String, defaultCountry: String?) throws(PhoneNumberError) -> String {
        let parsed: (trimmed: String, digits: String, international: Bool)
        if let fast = asciiDigits(raw) { parsed = fast } else { parsed = try digits(raw) }
        var (trimmed, digits, international) = parsed
        if !international, digits.hasPrefix("00") {
            international = true
            digits.removeFirst(2)
        }
        if international {
            guard let first = digits.first, first != "0" else { throw .invalidCountryCode(trimmed) }
            let rule = CallingCodes.rule(forInternational: digits)
            let national = String(digits.dropFirst(rule.code.count))
            try check(national, rule: rule, raw: trimmed)
            return "+" + rule.code + national
        }
        guard let country = defaultCountry?.trimmingWhitespace(), !country.isEmpty else {
            throw .noCountryCode(trimmed)
        }
        guard let rule = CallingCodes.rule(forCountry: country) else { throw .unknownCountry(country) }
        var national = digits
        // A local number written with its trunk prefix ("040 12 34 56", "1 202 555 0123").
        for trunk in rule.trunkPrefixes
        where national.hasPrefix(trunk) && national.count - trunk.count >= rule.minDigits {
            national.removeFirst(trunk.count)
            break
        }
        // Someone wrote the calling code without + or 00 ("45 21 43 66 77" in Denmark).
        if national.count > rule.maxDigits, national.hasPrefix(rule.code),
            national.count - rule.code.count >= rule.minDigits, national.count - rule.code.count <= rule.maxDigits
        {
            national.removeFirst(rule.code.count)
        }
        try check(national, rule: rule, raw: trimmed)
        return "+" + rule.code + national
    }

    /// The digits of a plain ASCII number ("+45 20 00 00 01", "040-123 456"), read byte by byte;
    /// nil sends anything else (letters, "(0)", non-ASCII) to the general path, which says what is wrong.
    private static func asciiDigits(_ raw: String) -> (trimmed: String, digits: String, international: Bool)? {
        var u = raw.utf8[...]
        while let f = u.first, f == 0x20 || f == 0x09 { u = u.dropFirst() }
        while let l = u.last, l == 0x20 || l == 0x09 { u = u.dropLast() }
        let trimmedLength = u.count
        var international = false
        if u.first == UInt8(ascii: "+") { international = true; u = u.dropFirst() }
        var digits: [UInt8] = []
        digits.reserveCapacity(u.count)
        for b in u {
            switch b {
            case 0x30...0x39: digits.append(b)
            case 0x20, 0x2D, 0x2E, 0x2F, 0x09: continue
            default: return nil
            }
        }
        guard !digits.isEmpty else { return nil }
        let trimmed = trimmedLength == raw.utf8.count ? raw : raw.trimmingWhitespace()
        return (trimmed, String(decoding: digits, as: UTF8.self), international)
    }

    /// The digits of any number, Character by Character, or what is wrong with it.
    private static func digits(_ raw: String) throws(PhoneNumberError) -> (
        trimmed: String, digits: String, international: Bool
    ) {
        let trimmed = raw.trimmingWhitespace()
        guard !trimmed.isEmpty else { throw .empty }
        var text = Substring(trimmed)
        var international = false
        if text.hasPrefix("+") {
            international = true
            text = text.dropFirst()
        }
        // "+44 (0)20 7946 0958": the (0) is the trunk prefix shown for national callers.
        var cleaned = String(text)
        if international, let r = cleaned.range(of: "(0)") { cleaned.removeSubrange(r) }
        var digits = ""
        for c in cleaned {
            if let a = c.asciiValue, a >= 0x30, a <= 0x39 { digits.append(c); continue }
            if " -./()\u{00A0}\t".contains(c) { continue }
            if c.isLetter { throw .letters(trimmed) }
            throw .invalidCharacter(c, in: trimmed)
        }
        guard !digits.isEmpty else { throw .empty }
        return (trimmed, digits, international)
    }

    /// Whether `raw` normalises, for callers that only need a yes or no.
    public static func isValid(_ raw: String, defaultCountry: String?) -> Bool {
        (try? normalize(raw, defaultCountry: defaultCountry)) != nil
    }

    private static func check(_ national: String, rule: CallingCodes.Rule, raw: String) throws(PhoneNumberError) {
        let maxDigits = min(rule.maxDigits, 15 - rule.code.count)
        // Only ASCII digits get here, so bytes are digits.
        if national.utf8.count < rule.minDigits { throw .tooShort(raw, minimumDigits: rule.minDigits) }
        if national.utf8.count > maxDigits { throw .tooLong(raw, maximumDigits: maxDigits) }
    }
}

extension String {
    fileprivate func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}

extension PhoneNumber {
    /// Whether `iso` (ISO 3166 alpha-2) is in the calling code table, for checking `default_country`.
    public static func knowsCountry(_ iso: String) -> Bool { CallingCodes.rule(forCountry: iso) != nil }
}
