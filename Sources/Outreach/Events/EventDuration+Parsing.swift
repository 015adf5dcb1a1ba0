extension EventDuration {
    /// Parses "2h", "90m", "1h30m", "1d", "2w" (units w, d, h, m, s, each at most once, largest first)
    /// or an RFC 5545 duration ("P1D", "PT2H", "P1DT30M", "P1W"), with an optional leading sign.
    /// `signRequired` makes an unsigned value an error (reminder offsets must say before or after).
    public init(parsing text: String, field: EventField, signRequired: Bool = false) throws(EventError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var body = Substring(trimmed.uppercased())
        var sign = 0
        if body.hasPrefix("-") {
            sign = -1; body = body.dropFirst()
        } else if body.hasPrefix("+") {
            sign = 1; body = body.dropFirst()
        }
        let example = field == .remind ? "-1d, -2h, -30m, -1w or -P1D" : "2h, 90m, 1h30m or 1d"
        func fail(_ why: String? = nil) -> EventError {
            .invalid(field: field, value: text, reason: why ?? "expected a duration such as \(example), got '\(text)'")
        }
        guard !body.isEmpty else { throw fail() }
        if signRequired && sign == 0 {
            throw fail(
                "write '-\(body.lowercased())' for before the start (or '+\(body.lowercased())' for after), got '\(text)'"
            )
        }
        var days = 0, seconds = 0
        if body.hasPrefix("P") {
            guard let (d, s) = Self.parseISO(body.dropFirst()) else { throw fail() }
            days = d; seconds = s
        } else {
            guard let (d, s) = Self.parseCompact(body) else { throw fail() }
            days = d; seconds = s
        }
        let factor = sign < 0 ? -1 : 1
        self.init(days: days * factor, seconds: seconds * factor)
    }

    /// "1H30M" style: number-unit pairs with units in descending order, each once.
    private static func parseCompact(_ s: Substring) -> (Int, Int)? {
        let units: [Character: (rank: Int, days: Int, seconds: Int)] = [
            "W": (0, 7, 0), "D": (1, 1, 0), "H": (2, 0, 3600), "M": (3, 0, 60), "S": (4, 0, 1),
        ]
        var days = 0, seconds = 0, lastRank = -1, number = "", any = false
        for c in s {
            if c.isASCII && c.isNumber {
                number.append(c)
            } else if let u = units[c], let n = Int(number), n <= 100_000, u.rank > lastRank {
                days += n * u.days
                seconds += n * u.seconds
                lastRank = u.rank
                number = ""
                any = true
            } else {
                return nil
            }
        }
        return any && number.isEmpty ? (days, seconds) : nil
    }

    /// The part of an RFC 5545 duration after "P": "1W", "1D", "1DT2H30M", "T45M".
    private static func parseISO(_ s: Substring) -> (Int, Int)? {
        var days = 0, seconds = 0, number = "", inTime = false, any = false, lastRank = -1
        for c in s {
            if c.isASCII && c.isNumber {
                number.append(c)
                continue
            }
            if c == "T" {
                guard !inTime, number.isEmpty else { return nil }
                inTime = true
                continue
            }
            guard let n = Int(number), n <= 100_000 else { return nil }
            let rank: Int
            switch (c, inTime) {
            case ("W", false): rank = 0; days += 7 * n
            case ("D", false): rank = 1; days += n
            case ("H", true): rank = 2; seconds += 3600 * n
            case ("M", true): rank = 3; seconds += 60 * n
            case ("S", true): rank = 4; seconds += n
            default: return nil
            }
            guard rank > lastRank else { return nil }
            lastRank = rank
            number = ""
            any = true
        }
        return any && number.isEmpty ? (days, seconds) : nil
    }
}

import Foundation
