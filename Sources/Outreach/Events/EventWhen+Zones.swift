import Foundation
import Synchronization

extension EventWhen {
    /// Which clock an event's times are told by, for one reader.
    public enum Clock: Sendable {
        /// In-person (a place that is not a link): the place's clock, the zone named where the
        /// reader's differs ("10:00 (Athens Time)").
        case place
        /// Online, or with no place: the reader's clock, with the organiser's beside it where they differ.
        case reader
    }

    /// The name of a zone as a reader of `locale` says it, from CLDR: its city in the locale's
    /// "{0} Time" pattern ("Athens Time", "Athen-tid", "توقيت أثينا"). The pattern is read off
    /// CLDR's name of a zone whose country has several (New York), since Foundation gives no city
    /// form for a country with one zone ("Greece Time"); that name is the fallback.
    public static func zoneName(_ zone: TimeZone, locale: String?, defaultLocale: String = "en") -> String {
        let tag = resolve(locale, defaultLocale: defaultLocale)
        return zoneNames.withLock { names in
            let key = tag + "|" + zone.identifier
            if let n = names[key] { return n }
            if names.count > 2000 { names.removeAll() }
            let n = makeZoneName(zone, tag: tag)
            names[key] = n
            return n
        }
    }

    static let zoneNames = Mutex<[String: String]>([:])

    static func makeZoneName(_ zone: TimeZone, tag: String) -> String {
        let f = DateFormatter()
        f.locale = Locale(identifier: tag.replacingOccurrences(of: "-", with: "_"))
        let now = Date()
        func format(_ pattern: String, _ z: TimeZone) -> String {
            f.timeZone = z
            f.dateFormat = pattern
            return f.string(from: now)
        }
        let generic = format("VVVV", zone)
        guard let sample = TimeZone(identifier: "America/New_York") else { return generic }
        let (sampleName, sampleCity, city) = (format("VVVV", sample), format("VVV", sample), format("VVV", zone))
        guard !city.isEmpty, !sampleCity.isEmpty, sampleName.contains(sampleCity), !city.hasPrefix("GMT") else {
            return generic
        }
        return sampleName.replacingOccurrences(of: sampleCity, with: city)
    }

    /// The clock time alone ("10:00", "10.00" in Danish), in the locale's own digits.
    static func time(_ date: Date, locale: String?, timeZone: TimeZone, defaultLocale: String) -> String {
        let tag = resolve(locale, defaultLocale: defaultLocale)
        return cache.withFormatter(tag: "t:" + tag, timeZone: timeZone) { $0.string(from: date) }
    }

    /// True when both zones show the same clock time at `date`.
    static func sameClock(_ a: TimeZone, _ b: TimeZone, at date: Date) -> Bool {
        a.secondsFromGMT(for: date) == b.secondsFromGMT(for: date)
    }

    /// `event.when` and the fields beside it for one reader: `when` (as `clock` says), `when_local`
    /// (the place's clock, zone named), `when_reader` (the reader's clock, zone named),
    /// `time_zone` (the zone `when`, `start` and `end` are in), `zone_name` (its name),
    /// `event_time_zone`, `reader_time_zone` (absent when the reader's zone is not known).
    /// The zone is named in `when` only where a reader could misread it: their zone shows another
    /// clock time, or is not known.
    public static func fields(
        _ start: Date, eventZone: TimeZone, readerZone: TimeZone?, clock: Clock, locale: String?,
        defaultLocale: String = "en"
    ) -> [String: JSON] {
        func text(_ z: TimeZone) -> String {
            Self.text(start, locale: locale, timeZone: z, defaultLocale: defaultLocale)
        }
        func name(_ z: TimeZone) -> String { zoneName(z, locale: locale, defaultLocale: defaultLocale) }
        let reader = readerZone ?? eventZone
        let differs = readerZone.map { !sameClock($0, eventZone, at: start) } ?? true
        let local = text(eventZone) + " (" + name(eventZone) + ")"
        let atReader = text(reader) + " (" + name(reader) + ")"
        var out: [String: JSON] = [
            "when_local": .string(local), "when_reader": .string(atReader),
            "event_time_zone": .string(eventZone.identifier),
        ]
        if let readerZone { out["reader_time_zone"] = .string(readerZone.identifier) }
        switch clock {
        case .place:
            out["when"] = .string(differs ? local : text(eventZone))
            out["time_zone"] = .string(eventZone.identifier)
            out["zone_name"] = .string(name(eventZone))
        case .reader:
            var when = text(reader)
            if readerZone == nil {
                when += " (" + name(eventZone) + ")"
            } else if differs {
                let sameDay = Calendar.dayKey(start, eventZone) == Calendar.dayKey(start, reader)
                let organiser =
                    sameDay
                    ? time(start, locale: locale, timeZone: eventZone, defaultLocale: defaultLocale) : text(eventZone)
                when += " (" + name(reader) + "; " + organiser + " " + name(eventZone) + ")"
            }
            out["when"] = .string(when)
            out["time_zone"] = .string(reader.identifier)
            out["zone_name"] = .string(name(reader))
        }
        return out
    }
}

extension Calendar {
    /// Year, month and day of `date` in `zone`, as one comparable number.
    static func dayKey(_ date: Date, _ zone: TimeZone) -> Int {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = zone
        let d = c.dateComponents([.year, .month, .day], from: date)
        return (d.year ?? 0) * 10_000 + (d.month ?? 0) * 100 + (d.day ?? 0)
    }
}
