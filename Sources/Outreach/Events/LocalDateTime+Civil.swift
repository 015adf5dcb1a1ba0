/// Calendar arithmetic on the proleptic Gregorian calendar, without Foundation's Calendar,
/// so wall-clock values never pass through a time zone by accident.
extension LocalDateTime {
    static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 (H. Hinnant's days_from_civil).
    var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    /// The date `dayNumber` days after 1970-01-01, at the given clock time.
    init(dayNumber z0: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        let z = z0 + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(
            year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d, hour: hour, minute: minute, second: second)
    }

    /// Seconds since 1970-01-01 00:00 as if this wall time were UTC.
    var wallSeconds: Int { dayNumber * 86400 + hour * 3600 + minute * 60 + second }

    init(wallSeconds s: Int) {
        let days = s >= 0 ? s / 86400 : (s - 86399) / 86400
        let rest = s - days * 86400
        self.init(dayNumber: days, hour: rest / 3600, minute: rest % 3600 / 60, second: rest % 60)
    }

    var weekday: Weekday { Weekday.all[((dayNumber % 7) + 7 + 3) % 7] }  // 1970-01-01 was a Thursday

    /// The same clock time `days` calendar days later (or earlier when negative).
    func addingDays(_ days: Int) -> LocalDateTime {
        LocalDateTime(dayNumber: dayNumber + days, hour: hour, minute: minute, second: second)
    }

    /// The same clock time on another date.
    func on(year: Int, month: Int, day: Int) -> LocalDateTime {
        LocalDateTime(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }
}
