import Foundation

extension RecurrenceRule {
    /// Most occurrences any one series may have; longer finite rules are refused.
    public static let maximumCount = 500

    /// Parses an RRULE value such as "FREQ=WEEKLY;COUNT=4;BYDAY=TU,TH" (an "RRULE:" prefix is allowed).
    /// A date-only or floating UNTIL is read as wall time in `timeZone` (date-only: to the end of that day).
    public init(parsing text: String, timeZone: TimeZone) throws(EventError) {
        func fail(_ reason: String) -> EventError { .invalid(field: .rrule, value: text, reason: reason) }
        var body = text.trimmingCharacters(in: .whitespaces)
        if body.uppercased().hasPrefix("RRULE:") { body = String(body.dropFirst(6)) }
        var fields: [String: String] = [:]
        for part in body.split(separator: ";", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1)
            guard kv.count == 2 else { throw fail("expected NAME=VALUE, got '\(part)'") }
            let key = kv[0].trimmingCharacters(in: .whitespaces).uppercased()
            guard fields[key] == nil else { throw fail("\(key) is given twice") }
            fields[key] = kv[1].trimmingCharacters(in: .whitespaces).uppercased()
        }
        let supported = ["FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "WKST"]
        if let other = fields.keys.sorted().first(where: { !supported.contains($0) }) {
            throw fail("\(other) is not supported (use FREQ, INTERVAL, COUNT, UNTIL, BYDAY, WKST)")
        }
        guard let freqText = fields["FREQ"] else { throw fail("FREQ is missing (FREQ=DAILY, WEEKLY or MONTHLY)") }
        guard let frequency = Frequency(rawValue: freqText) else {
            throw fail("unknown FREQ '\(freqText)' (use DAILY, WEEKLY or MONTHLY)")
        }
        var interval = 1
        if let t = fields["INTERVAL"] {
            guard let n = Int(t), n >= 1, n <= 1000 else {
                throw fail("INTERVAL must be a whole number from 1 to 1000, got '\(t)'")
            }
            interval = n
        }
        var end = End.never
        if fields["COUNT"] != nil && fields["UNTIL"] != nil { throw fail("give COUNT or UNTIL, not both") }
        if let t = fields["COUNT"] {
            guard let n = Int(t), n >= 1 else { throw fail("COUNT must be a whole number of at least 1, got '\(t)'") }
            guard n <= Self.maximumCount else {
                throw fail("COUNT \(n) is more than the \(Self.maximumCount) occurrences a series may have")
            }
            end = .count(n)
        }
        if let t = fields["UNTIL"] {
            guard let date = Self.parseUntil(t, timeZone: timeZone) else {
                throw fail("UNTIL must be YYYYMMDD, YYYYMMDDTHHMMSS or YYYYMMDDTHHMMSSZ, got '\(t)'")
            }
            end = .until(date)
        }
        var byDay: [DaySpec] = []
        if let t = fields["BYDAY"] {
            for item in t.split(separator: ",", omittingEmptySubsequences: false) {
                let code = String(item.suffix(2))
                guard let weekday = Weekday(rawValue: code) else {
                    throw fail("unknown day '\(item)' in BYDAY (use MO, TU, WE, TH, FR, SA, SU)")
                }
                let prefix = item.dropLast(2)
                var ordinal: Int?
                if !prefix.isEmpty {
                    guard let n = Int(prefix.hasPrefix("+") ? prefix.dropFirst() : prefix), n != 0, (-5...5).contains(n)
                    else {
                        throw fail("'\(item)' in BYDAY: the number before the day must be 1 to 5 or -1 to -5")
                    }
                    guard frequency == .monthly else {
                        throw fail("'\(item)' in BYDAY: a numbered day (like 1MO or -1FR) needs FREQ=MONTHLY")
                    }
                    ordinal = n
                }
                let spec = DaySpec(ordinal: ordinal, weekday: weekday)
                guard !byDay.contains(spec) else { throw fail("'\(item)' appears twice in BYDAY") }
                byDay.append(spec)
            }
        }
        var weekStart = Weekday.monday
        if let t = fields["WKST"] {
            guard let w = Weekday(rawValue: t) else { throw fail("unknown WKST '\(t)' (use MO … SU)") }
            weekStart = w
        }
        self.init(frequency: frequency, interval: interval, end: end, byDay: byDay, weekStart: weekStart)
    }

    private static func parseUntil(_ t: String, timeZone: TimeZone) -> Date? {
        let digits = t.utf8.map { Int($0) - 48 }
        func num(_ r: Range<Int>) -> Int? {
            var n = 0
            for i in r { guard digits[i] >= 0 && digits[i] <= 9 else { return nil }; n = n * 10 + digits[i] }
            return n
        }
        guard t.count == 8 || t.count == 15 || t.count == 16, let y = num(0..<4), let m = num(4..<6), let d = num(6..<8)
        else { return nil }
        if t.count == 8 {
            let local = LocalDateTime(year: y, month: m, day: d, hour: 23, minute: 59, second: 59)
            return local.isValid ? timeZone.instant(for: local) : nil
        }
        guard Array(t)[8] == "T", let hh = num(9..<11), let mm = num(11..<13), let ss = num(13..<15) else { return nil }
        let local = LocalDateTime(year: y, month: m, day: d, hour: hh, minute: mm, second: ss)
        guard local.isValid else { return nil }
        if t.count == 16 {
            guard t.hasSuffix("Z") else { return nil }
            return Date(timeIntervalSince1970: TimeInterval(local.wallSeconds))
        }
        return timeZone.instant(for: local)
    }
}
