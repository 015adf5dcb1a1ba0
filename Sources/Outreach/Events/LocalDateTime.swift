import Foundation

/// A wall-clock date and time with no time zone attached ("2026-12-03 18:00").
public struct LocalDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
    }

    /// Parses "YYYY-MM-DD HH:MM" (a `T` instead of the space is accepted too).
    public init(parsing text: String, field: EventField = .start) throws(EventError) {
        let s = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        func fail() -> EventError {
            .invalid(field: field, value: text, reason: "expected YYYY-MM-DD HH:MM, got '\(text)'")
        }
        guard s.count == 16, s[4] == UInt8(ascii: "-"), s[7] == UInt8(ascii: "-"),
            s[10] == UInt8(ascii: " ") || s[10] == UInt8(ascii: "T"), s[13] == UInt8(ascii: ":")
        else { throw fail() }
        func number(_ r: Range<Int>) throws(EventError) -> Int {
            var n = 0
            for c in s[r] {
                guard c >= 48, c <= 57 else { throw fail() }
                n = n * 10 + Int(c - 48)
            }
            return n
        }
        let value = LocalDateTime(
            year: try number(0..<4), month: try number(5..<7), day: try number(8..<10),
            hour: try number(11..<13), minute: try number(14..<16))
        guard value.isValid else {
            throw .invalid(field: field, value: text, reason: "'\(text)' is not a real date and time")
        }
        self = value
    }

    /// Whether the fields name a real calendar date and clock time.
    public var isValid: Bool {
        (1...12).contains(month) && day >= 1 && day <= LocalDateTime.daysIn(year: year, month: month)
            && (0...23).contains(hour) && (0...59).contains(minute) && (0...59).contains(second)
    }

    /// "2026-12-03 18:00" (seconds only when not zero).
    public var description: String {
        let base = "\(pad(year, 4))-\(pad(month))-\(pad(day)) \(pad(hour)):\(pad(minute))"
        return second == 0 ? base : base + ":\(pad(second))"
    }

    /// RFC 5545 local form: "20261203T180000".
    public var icalendar: String {
        "\(pad(year, 4))\(pad(month))\(pad(day))T\(pad(hour))\(pad(minute))\(pad(second))"
    }

    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool {
        (a.year, a.month, a.day, a.hour, a.minute, a.second) < (b.year, b.month, b.day, b.hour, b.minute, b.second)
    }
}

func pad(_ n: Int, _ width: Int = 2) -> String {
    let s = String(abs(n))
    return (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - s.count)) + s
}
