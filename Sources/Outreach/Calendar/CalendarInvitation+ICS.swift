import Foundation

extension CalendarInvitation {
    /// The whole VCALENDAR text: CRLF line ends, folded at 75 octets.
    public var ics: String {
        let zone = schedule.timeZone.identifier
        var lines = [
            "BEGIN:VCALENDAR",
            "PRODID:\(productID)",
            "VERSION:2.0",
            "CALSCALE:GREGORIAN",
            "METHOD:\(method.rawValue)",
        ]
        lines += VTimeZone(zone: schedule.timeZone, years: coveredYears).lines
        lines += [
            "BEGIN:VEVENT",
            "UID:\(ICSText.escape(uid))",
            "SEQUENCE:\(sequence)",
            "DTSTAMP:\(ICSText.utc(stamp))",
        ]
        let first = recurrenceID ?? schedule.start
        if let recurrenceID { lines.append("RECURRENCE-ID;TZID=\(ICSText.parameter(zone)):\(recurrenceID.icalendar)") }
        lines.append("DTSTART;TZID=\(ICSText.parameter(zone)):\(first.icalendar)")
        if schedule.duration.days == 0 {
            // Exact duration: DTEND gives every instance the same length, as RFC 5545 reads DTEND.
            let end = schedule.timeZone.localDateTime(for: schedule.instant(first, plus: schedule.duration))
            lines.append("DTEND;TZID=\(ICSText.parameter(zone)):\(end.icalendar)")
        } else {
            // Nominal days must keep the clock time in every instance; only DURATION says that.
            lines.append("DURATION:\(schedule.duration.iso)")
        }
        // One instance has no recurrence of its own.
        if recurrenceID == nil, let rule = schedule.rule { lines.append("RRULE:\(rule.icalendar)") }
        if recurrenceID == nil, !schedule.exceptions.isEmpty {
            lines.append(
                "EXDATE;TZID=\(ICSText.parameter(zone)):" + schedule.exceptions.map(\.icalendar).joined(separator: ","))
        }
        lines.append("SUMMARY:\(ICSText.escape(summary))")
        if let location, !location.isEmpty { lines.append("LOCATION:\(ICSText.escape(location))") }
        if let description, !description.isEmpty { lines.append("DESCRIPTION:\(ICSText.escape(description))") }
        lines.append("ORGANIZER\(commonName(organizer)):\(ICSText.mailto(organizer.email))")
        for a in attendees {
            let partstat = method == .cancel ? "" : ";PARTSTAT=NEEDS-ACTION;RSVP=TRUE"
            lines.append(
                "ATTENDEE\(commonName(a));CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT\(partstat):\(ICSText.mailto(a.email))")
        }
        lines.append("STATUS:\(method == .cancel ? "CANCELLED" : "CONFIRMED")")
        lines.append("TRANSP:OPAQUE")
        lines += ["END:VEVENT", "END:VCALENDAR"]
        return lines.map(ICSText.fold).joined()
    }

    private func commonName(_ a: CalendarAddress) -> String {
        guard let name = a.name, !name.isEmpty else { return "" }
        return ";CN=" + ICSText.parameter(name)
    }

    /// Years the VTIMEZONE must describe: from the start to the last occurrence (or the horizon).
    var coveredYears: ClosedRange<Int> {
        if let recurrenceID { return recurrenceID.year...(recurrenceID.year + 1) }
        let last =
            schedule.occurrences().last.map { schedule.timeZone.localDateTime(for: $0.end).year } ?? schedule.start.year
        return schedule.start.year...max(schedule.start.year, last, schedule.horizon?.year ?? 0)
    }
}
