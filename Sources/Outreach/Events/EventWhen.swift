import Foundation
import Synchronization

/// `event.when`: an instant written out in a reader's language and time zone,
/// e.g. "torsdag den 3. december 2026 kl. 18.00".
public enum EventWhen {
    /// Fixed patterns where Foundation's own long form is not what readers here expect.
    /// Everything else uses the locale's full date and short time style from CLDR.
    static let patterns: [String: String] = [
        "da": "EEEE 'den' d. MMMM y 'kl.' HH.mm",
        "sv": "EEEE d MMMM y 'kl.' HH.mm",
        "nb": "EEEE d. MMMM y 'kl.' HH.mm",
        "nn": "EEEE d. MMMM y 'kl.' HH.mm",
        "no": "EEEE d. MMMM y 'kl.' HH.mm",
        "en": "EEEE d MMMM y 'at' HH:mm",
    ]

    /// The start written out for `locale` (BCP 47) in `timeZone`. A locale Foundation does not know
    /// falls back like templates do: `pt-BR` → `pt` → `defaultLocale` → `en`. Always the Gregorian
    /// calendar; digits are the locale's own.
    public static func text(_ date: Date, locale: String?, timeZone: TimeZone, defaultLocale: String = "en") -> String {
        let tag = resolve(locale, defaultLocale: defaultLocale)
        return cache.withFormatter(tag: tag, timeZone: timeZone) { $0.string(from: date) }
    }

    /// The first tag in the fallback chain that Foundation has data for.
    static func resolve(_ locale: String?, defaultLocale: String) -> String {
        for tag in Locales.fallbackChain(locale, defaultLocale: defaultLocale) where Locales.isValid(tag) {
            let id = tag.replacingOccurrences(of: "-", with: "_")
            if known.contains(id) || known.contains(where: { $0.hasPrefix(id + "_") }) { return tag }
        }
        return "en"
    }

    static let known: Set<String> = Set(Locale.availableIdentifiers)

    /// The patterns of the time alone, where `patterns` are fixed.
    static let timePatterns: [String: String] = [
        "da": "HH.mm", "sv": "HH.mm", "nb": "HH.mm", "nn": "HH.mm",
        "no": "HH.mm", "en": "HH:mm",
    ]

    /// A formatter for `tag` in `timeZone`: the date and time, or with a `t:` before the tag the time alone.
    static func makeFormatter(tag full: String, timeZone: TimeZone) -> DateFormatter {
        let timeOnly = full.hasPrefix("t:")
        let tag = timeOnly ? String(full.dropFirst(2)) : full
        let f = DateFormatter()
        let locale = Locale(identifier: tag.replacingOccurrences(of: "-", with: "_"))
        var calendar = Calendar(identifier: .gregorian)
        calendar.locale = locale
        calendar.timeZone = timeZone
        f.locale = locale
        f.calendar = calendar
        f.timeZone = timeZone
        let language = String(tag.split(separator: "-").first ?? "")
        let table = timeOnly ? timePatterns : patterns
        if let pattern = table[tag] ?? (tag == "en-US" ? nil : table[language]) {
            f.dateFormat = pattern
        } else if timeOnly {
            f.timeStyle = .short
        } else {
            f.dateStyle = .full
            f.timeStyle = .short
        }
        return f
    }

    static let cache = FormatterCache()

    /// DateFormatter is costly to build and not Sendable: keep one per locale and zone, behind a lock.
    final class FormatterCache: Sendable {
        private let formatters = Mutex<[String: DateFormatter]>([:])

        func withFormatter<T: Sendable>(tag: String, timeZone: TimeZone, _ body: (DateFormatter) -> T) -> T {
            formatters.withLock { formatters in
                let key = tag + "|" + timeZone.identifier
                if let f = formatters[key] { return body(f) }
                if formatters.count > 500 { formatters.removeAll() }
                let f = EventWhen.makeFormatter(tag: tag, timeZone: timeZone)
                formatters[key] = f
                return body(f)
            }
        }
    }
}
