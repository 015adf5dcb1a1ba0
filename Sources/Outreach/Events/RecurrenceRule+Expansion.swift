import Foundation

extension RecurrenceRule {
    /// The wall-clock starts of the series beginning at `start`, in order, before EXDATE is applied.
    /// Stops at COUNT, UNTIL, before `horizon` (wall time) or after `limit` starts; `complete` is false
    /// when the rule would go on past where the list stops.
    func localStarts(from start: LocalDateTime, timeZone: TimeZone, horizon: LocalDateTime?, limit: Int)
        -> (starts: [LocalDateTime], complete: Bool)
    {
        var out: [LocalDateTime] = []
        // Enough periods for any rule that matches at least once a year; guards rules like 5MO
        // that match rarely and keeps a rule that can never match from spinning.
        let maxPeriods = 20_000
        for k in 0..<maxPeriods {
            let dates = candidates(period: k, start: start)
            for date in dates where date >= start {
                if let horizon, date >= horizon { return (out, false) }
                if case .until(let last) = end, timeZone.instant(for: date) > last { return (out, true) }
                if out.count == limit { return (out, false) }
                out.append(date)
                if case .count(let n) = end, out.count == n { return (out, true) }
            }
            if let horizon, let first = firstDay(period: k + 1, start: start), first >= horizon.dayNumber {
                return (out, false)
            }
        }
        return (out, false)
    }

    /// Day number of the first day period `k` can hold, to stop scanning past the horizon.
    private func firstDay(period k: Int, start: LocalDateTime) -> Int? {
        switch frequency {
        case .daily: return start.dayNumber + k * interval
        case .weekly: return start.dayNumber - 6 + 7 * interval * k
        case .monthly:
            let index = start.year * 12 + start.month - 1 + k * interval
            return LocalDateTime(year: index / 12, month: index % 12 + 1, day: 1).dayNumber
        }
    }

    /// The dates (at the start's clock time) the rule picks in its `k`-th period, sorted.
    private func candidates(period k: Int, start: LocalDateTime) -> [LocalDateTime] {
        let weekdays = Set(byDay.map(\.weekday))
        switch frequency {
        case .daily:
            let date = start.addingDays(k * interval)
            return weekdays.isEmpty || weekdays.contains(date.weekday) ? [date] : []
        case .weekly:
            let back = (start.weekday.isoIndex - weekStart.isoIndex + 7) % 7
            let weekBegin = start.dayNumber - back + 7 * interval * k
            let days = weekdays.isEmpty ? [start.weekday] : Array(weekdays)
            return days.map { (($0.isoIndex - weekStart.isoIndex + 7) % 7) }.sorted()
                .map { start.addingDays(weekBegin + $0 - start.dayNumber) }
        case .monthly:
            let index = start.year * 12 + start.month - 1 + k * interval
            let year = index / 12, month = index % 12 + 1
            let length = LocalDateTime.daysIn(year: year, month: month)
            var days: Set<Int> = []
            if byDay.isEmpty {
                // RFC 5545: a month without the start's day (the 31st in April) has no occurrence.
                if start.day <= length { days.insert(start.day) }
            } else {
                let firstWeekday = start.on(year: year, month: month, day: 1).weekday.isoIndex
                for spec in byDay {
                    let firstMatch = 1 + (spec.weekday.isoIndex - firstWeekday + 7) % 7
                    let all = Array(stride(from: firstMatch, through: length, by: 7))
                    switch spec.ordinal {
                    case nil: days.formUnion(all)
                    case let n? where n > 0: if n <= all.count { days.insert(all[n - 1]) }
                    case let n?: if -n <= all.count { days.insert(all[all.count + n]) }
                    }
                }
            }
            return days.sorted().map { start.on(year: year, month: month, day: $0) }
        }
    }
}
