import Foundation
import Testing
@testable import Outreach

@Suite("Event invitations (ICS)")
struct EventICSTests {
    struct Peer {
        let json: JSON
        subscript(_ key: String) -> JSON? { json[key] }
        func strings(_ key: String) -> [String] { json[key]?.arrayValue?.compactMap(\.stringValue) ?? [] }
    }

    /// Parses the ICS with Python's icalendar and expands it with recurring-ical-events.
    static func peer(_ ics: String, renameTZID: Bool = false) throws -> Peer {
        let path = TestSupport.packageRoot + "/Tests/peers/events_ics.py"
        let r = try TestSupport.python(
            "import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')",
            [path] + (renameTZID ? ["--rename-tzid"] : []), stdin: Array(ics.utf8))
        #expect(r.status == 0, "\(r.stderr)")
        return Peer(json: try JSON.parse(r.stdout))
    }

    static let stamp = Date(timeIntervalSince1970: 1_790_000_000)

    static func invitation(
        _ schedule: EventSchedule, method: CalendarInvitation.Method = .request, sequence: Int = 0,
        summary: String = "Dinner club", location: String? = "Sprogcenter, Vesterbrogade 1; 2. sal",
        description: String? = nil
    ) -> CalendarInvitation {
        CalendarInvitation(
            method: method, uid: "evt-7@outreach.example.org", sequence: sequence, stamp: stamp,
            schedule: schedule, summary: summary, location: location, description: description,
            organizer: CalendarAddress(email: "venner@sprogcenter.example", name: "Connecting Friends"),
            attendees: [CalendarAddress(email: "ana@example.org", name: "Ana Søndergård, MSc")])
    }

    static func weekly() throws -> EventSchedule {
        try EventSchedule(
            start: "2026-10-15 18:00", timeZone: "Europe/Copenhagen", duration: "2h",
            rrule: "FREQ=WEEKLY;COUNT=4", reminders: ["-1d", "-2h"])
    }

    @Test func requestParsesAndExpandsToTheSameInstants() throws {
        let s = try Self.weekly()
        let p = try Self.peer(Self.invitation(s, sequence: 3).ics)
        #expect(p["method"]?.stringValue == "REQUEST")
        #expect(p["version"]?.stringValue == "2.0")
        #expect(p["uid"]?.stringValue == "evt-7@outreach.example.org")
        #expect(p["sequence"]?.intValue == 3)
        #expect(p["status"]?.stringValue == "CONFIRMED")
        #expect(p["location"]?.stringValue == "Sprogcenter, Vesterbrogade 1; 2. sal")
        #expect(p["dtstart_tzid"]?.stringValue == "Europe/Copenhagen")
        #expect(p["vtimezones"]?.intValue == 1)
        #expect(p["organizer"]?.stringValue == "mailto:venner@sprogcenter.example")
        #expect(p["organizer_cn"]?.stringValue == "Connecting Friends")
        let attendee = try #require(p["attendees"]?.arrayValue?.first)
        #expect(attendee["address"]?.stringValue == "mailto:ana@example.org")
        #expect(attendee["cn"]?.stringValue == "Ana Søndergård, MSc")
        #expect(attendee["rsvp"]?.stringValue == "TRUE")
        #expect(p.strings("starts_utc") == s.occurrences().map { RFC3339.utc($0.start) })
        #expect(p.strings("ends_utc") == s.occurrences().map { RFC3339.utc($0.end) })
        #expect(p.strings("starts_utc").count == 4)
    }

    /// The same series read through our VTIMEZONE alone (the TZID renamed so no database lookup can help).
    @Test func expansionThroughOurVTimeZoneMatches() throws {
        let s = try Self.weekly()
        let p = try Self.peer(Self.invitation(s).ics, renameTZID: true)
        #expect(p["dtstart_tzid"]?.stringValue == "Outreach-Test")
        #expect(p.strings("starts_utc") == s.occurrences().map { RFC3339.utc($0.start) })
    }

    @Test(arguments: [
        "Europe/Copenhagen", "America/New_York", "Australia/Sydney", "America/Sao_Paulo", "Asia/Tokyo",
        "Asia/Kolkata", "Europe/Dublin", "America/St_Johns", "UTC",
    ])
    func vtimezoneAgreesWithTheTzDatabase(zone: String) throws {
        let s = try EventSchedule(
            start: "2026-03-01 09:00", timeZone: zone, duration: "1h", rrule: "FREQ=MONTHLY;COUNT=20")
        let p = try Self.peer(Self.invitation(s).ics)
        #expect(p["vtimezones"]?.intValue == 1)
        #expect((p["tz_checked"]?.intValue ?? 0) > 20_000)
        #expect(p["tz_mismatches"]?.arrayValue?.count == 0, "\(p["tz_mismatches"]?.serialized ?? "")")
        #expect(p.strings("starts_utc") == s.occurrences().map { RFC3339.utc($0.start) })
    }

    @Test func monthlyByDayUntilExdateIntervalExpandsTheSame() throws {
        let s = try EventSchedule(
            start: "2026-11-02 17:30", timeZone: "America/New_York", duration: "1h",
            rrule: "FREQ=MONTHLY;INTERVAL=2;BYDAY=1MO,-1FR;UNTIL=20270331", exdates: ["2027-01-04 17:30"])
        let p = try Self.peer(Self.invitation(s).ics)
        #expect(p.strings("starts_utc") == s.occurrences().map { RFC3339.utc($0.start) })
        #expect(p.strings("starts_utc").count == 5)
        let w = try EventSchedule(
            start: "2026-10-20 19:00", timeZone: "Europe/Copenhagen", duration: "1h30m",
            rrule: "FREQ=WEEKLY;BYDAY=TU,TH;UNTIL=20261110T235959Z", exdates: ["2026-10-27 19:00"])
        let q = try Self.peer(Self.invitation(w).ics)
        #expect(q.strings("starts_utc") == w.occurrences().map { RFC3339.utc($0.start) })
        #expect(q.strings("ends_utc") == w.occurrences().map { RFC3339.utc($0.end) })
    }

    @Test func dayLongEventUsesNominalDuration() throws {
        let s = try EventSchedule(
            start: "2026-10-23 12:00", timeZone: "Europe/Copenhagen", duration: "1d",
            rrule: "FREQ=DAILY;COUNT=4")
        let p = try Self.peer(Self.invitation(s).ics)
        #expect(p.strings("starts_utc") == s.occurrences().map { RFC3339.utc($0.start) })
        #expect(p.strings("ends_utc") == s.occurrences().map { RFC3339.utc($0.end) })
    }

    @Test func openEndedSeriesAgreesWithinTheHorizon() throws {
        let s = try EventSchedule(
            start: "2026-10-15 18:00", timeZone: "Europe/Copenhagen", duration: "2h", rrule: "FREQ=MONTHLY;BYDAY=3TH")
        let p = try Self.peer(Self.invitation(s).ics)
        let ours = s.occurrences().map { RFC3339.utc($0.start) }
        #expect(ours.count == 24)
        #expect(Array(p.strings("starts_utc").prefix(ours.count)) == ours)
    }

    @Test func cancelHasMethodAndStatus() throws {
        let s = try Self.weekly()
        let invitation = Self.invitation(s, method: .cancel, sequence: 4)
        #expect(invitation.contentType == "text/calendar; charset=UTF-8; method=CANCEL")
        let p = try Self.peer(invitation.ics)
        #expect(p["method"]?.stringValue == "CANCEL")
        #expect(p["status"]?.stringValue == "CANCELLED")
        #expect(p["sequence"]?.intValue == 4)
        #expect(p["uid"]?.stringValue == "evt-7@outreach.example.org")
    }

    @Test func foldingKeepsLinesShortAndUnfoldsToTheOriginal() throws {
        let description =
            "Velkommen til middagsklubben! Vi laver mad sammen: æbleskiver, rødgrød med fløde, smørrebrød; "
            + "bagefter taler vi om sprog, kultur og hverdagsliv i Danmark. مرحبا بكم 😀🇩🇰 — Ласкаво просимо, خوش آمدید. "
            + "Line two\nhas a backslash \\ and a comma, too.\r\nThird line."
        let summary = String(repeating: "ø", count: 50) + " — " + String(repeating: "😀", count: 30)
        let ics = Self.invitation(try Self.weekly(), summary: summary, description: description).ics
        let p = try Self.peer(ics)
        #expect(p["crlf_only"] == .bool(true))
        #expect(p["ends_with_crlf"] == .bool(true))
        #expect(p["lines_valid_utf8"] == .bool(true))
        #expect((p["max_line_octets"]?.intValue ?? 99) <= 75)
        #expect(p["summary"]?.stringValue == summary)
        #expect(p["description"]?.stringValue == description.replacingOccurrences(of: "\r\n", with: "\n"))
        #expect(
            ics.utf8.split(separator: UInt8(ascii: "\n")).contains { $0.count > 70 }, "the text was long enough to fold"
        )
    }
}

@Suite("Event invitations (ICS), hostile input")
struct EventICSInjectionTests {
    @Test func lineBreaksInValuesCannotAddProperties() throws {
        let s = try EventICSTests.weekly()
        var invitation = EventICSTests.invitation(
            s, summary: "Party\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nSUMMARY:evil",
            location: "Here\nATTENDEE:mailto:x@evil.example")
        invitation.uid = "u1\r\nSTATUS:CANCELLED"
        invitation.organizer = CalendarAddress(
            email: "org@example.org\r\nATTENDEE:mailto:y@evil.example", name: "Org\"\r\nX: y")
        invitation.attendees = [CalendarAddress(email: "ana@example.org", name: "Ana;RSVP=FALSE")]
        let p = try EventICSTests.peer(invitation.ics)
        #expect(p["events"]?.intValue == 1)
        #expect(p["status"]?.stringValue == "CONFIRMED")
        #expect(p["summary"]?.stringValue == "Party\nEND:VEVENT\nBEGIN:VEVENT\nSUMMARY:evil")
        #expect(p["uid"]?.stringValue == "u1\nSTATUS:CANCELLED")
        let attendees = p["attendees"]?.arrayValue ?? []
        #expect(attendees.count == 1)
        #expect(attendees.first?["cn"]?.stringValue == "Ana;RSVP=FALSE")
        #expect(attendees.first?["rsvp"]?.stringValue == "TRUE")
        #expect(p["organizer_cn"]?.stringValue == "OrgX: y")
    }
}

@Suite("Event recurrence, RFC 5545 examples")
struct EventRFCExampleTests {
    /// RFC 5545 §3.8.5.3: WKST changes which days an every-other-week rule picks.
    @Test(arguments: [
        ("MO", ["1997-08-05 09:00", "1997-08-10 09:00", "1997-08-19 09:00", "1997-08-24 09:00"]),
        ("SU", ["1997-08-05 09:00", "1997-08-17 09:00", "1997-08-19 09:00", "1997-08-31 09:00"]),
    ])
    func weekStartMatters(wkst: String, expected: [String]) throws {
        let s = try EventSchedule(
            start: "1997-08-05 09:00", timeZone: "America/New_York", duration: "1h",
            rrule: "FREQ=WEEKLY;INTERVAL=2;COUNT=4;BYDAY=TU,SU;WKST=\(wkst)")
        #expect(s.occurrences().map { "\($0.local)" } == expected)
        let p = try EventICSTests.peer(EventICSTests.invitation(s).ics)
        #expect(p.strings("starts_utc") == s.occurrences().map { RFC3339.utc($0.start) })
    }

    /// RFC 5545 §3.8.5.3: "Monthly on the first Friday until December 24, 1997" (floating UNTIL here).
    @Test func firstFridayUntil() throws {
        let s = try EventSchedule(
            start: "1997-09-05 09:00", timeZone: "America/New_York", duration: "1h",
            rrule: "FREQ=MONTHLY;UNTIL=19971224T000000;BYDAY=1FR")
        #expect(
            s.occurrences().map { "\($0.local)" } == [
                "1997-09-05 09:00", "1997-10-03 09:00", "1997-11-07 09:00", "1997-12-05 09:00",
            ])
        let p = try EventICSTests.peer(EventICSTests.invitation(s).ics)
        #expect(p.strings("starts_utc") == s.occurrences().map { RFC3339.utc($0.start) })
    }

    /// RFC 5545 §3.8.5.3: "Every other week on Monday, Wednesday, and Friday until December 24, 1997".
    @Test func everyOtherWeekMonWedFri() throws {
        let s = try EventSchedule(
            start: "1997-09-01 09:00", timeZone: "America/New_York", duration: "1h",
            rrule: "FREQ=WEEKLY;INTERVAL=2;UNTIL=19971224T000000Z;WKST=SU;BYDAY=MO,WE,FR")
        let o = s.occurrences()
        #expect(o.count == 25)
        #expect("\(o.last!.local)" == "1997-12-22 09:00")
        let p = try EventICSTests.peer(EventICSTests.invitation(s).ics)
        #expect(p.strings("starts_utc") == o.map { RFC3339.utc($0.start) })
    }
}
