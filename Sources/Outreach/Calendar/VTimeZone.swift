import Foundation

/// A VTIMEZONE built from the tz database through Foundation's TimeZone: one observance per kind of
/// transition found in the covered years, the first as DTSTART and the rest as explicit RDATEs, so
/// no recurrence rule has to be guessed from the data.
struct VTimeZone {
    struct Transition {
        var instant: Date
        var offsetFrom: Int
        var offsetTo: Int
        var isDaylight: Bool
        var name: String?
    }

    let zone: TimeZone
    let transitions: [Transition]

    /// Collects the transitions from the year before `years` to the year after, so the observance in
    /// force at every covered instant starts inside the component.
    init(zone: TimeZone, years: ClosedRange<Int>) {
        self.zone = zone
        let from = Date(
            timeIntervalSince1970: TimeInterval(LocalDateTime(year: years.lowerBound - 1, month: 1, day: 1).wallSeconds)
        )
        let to = Date(
            timeIntervalSince1970: TimeInterval(LocalDateTime(year: years.upperBound + 2, month: 1, day: 1).wallSeconds)
        )
        var found: [Transition] = []
        var cursor = from
        while let next = zone.nextDaylightSavingTimeTransition(after: cursor), next < to, found.count < 1000 {
            let before = zone.secondsFromGMT(for: next.addingTimeInterval(-1))
            let after = zone.secondsFromGMT(for: next)
            if before != after {
                found.append(
                    Transition(
                        instant: next, offsetFrom: before, offsetTo: after,
                        isDaylight: zone.isDaylightSavingTime(for: next), name: VTimeZone.name(zone, next)))
            }
            cursor = next
        }
        transitions = found
    }

    var lines: [String] {
        var out = ["BEGIN:VTIMEZONE", "TZID:\(ICSText.escape(zone.identifier))"]
        guard !transitions.isEmpty else {
            // No change in the covered years: one observance from the epoch on.
            let offset = zone.secondsFromGMT(for: Date())
            out += [
                "BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:\(Self.offset(offset))",
                "TZOFFSETTO:\(Self.offset(offset))",
            ]
            if let name = Self.name(zone, Date()) { out.append("TZNAME:\(ICSText.escape(name))") }
            return out + ["END:STANDARD", "END:VTIMEZONE"]
        }
        // Group the transitions by observance, keeping the order in which each first appears.
        var groups: [[Transition]] = []
        for t in transitions {
            if let i = groups.firstIndex(where: { g in
                g[0].isDaylight == t.isDaylight && g[0].offsetFrom == t.offsetFrom && g[0].offsetTo == t.offsetTo
                    && g[0].name == t.name
            }) {
                groups[i].append(t)
            } else {
                groups.append([t])
            }
        }
        for group in groups {
            let kind = group[0].isDaylight ? "DAYLIGHT" : "STANDARD"
            // DTSTART and RDATE of an observance are wall times in the offset before the change.
            let locals = group.map {
                LocalDateTime(wallSeconds: Int($0.instant.timeIntervalSince1970) + $0.offsetFrom).icalendar
            }
            out += ["BEGIN:\(kind)", "DTSTART:\(locals[0])"]
            if locals.count > 1 { out.append("RDATE:" + locals.dropFirst().joined(separator: ",")) }
            out += ["TZOFFSETFROM:\(Self.offset(group[0].offsetFrom))", "TZOFFSETTO:\(Self.offset(group[0].offsetTo))"]
            if let name = group[0].name { out.append("TZNAME:\(ICSText.escape(name))") }
            out.append("END:\(kind)")
        }
        return out + ["END:VTIMEZONE"]
    }

    /// "+0100", "-0330"; seconds only when the zone has them (RFC 5545 UTC-OFFSET).
    static func offset(_ seconds: Int) -> String {
        let a = abs(seconds)
        return (seconds < 0 ? "-" : "+") + pad(a / 3600) + pad(a % 3600 / 60) + (a % 60 == 0 ? "" : pad(a % 60))
    }

    /// The zone's abbreviation ("CEST"), unless Foundation only knows a "GMT+2" stand-in.
    static func name(_ zone: TimeZone, _ date: Date) -> String? {
        guard let a = zone.abbreviation(for: date), !a.hasPrefix("GMT+"), !a.hasPrefix("GMT-"), !a.hasPrefix("UTC+"),
            !a.hasPrefix("UTC-")
        else { return nil }
        return a
    }
}
