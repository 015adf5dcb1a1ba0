import Foundation
import Testing
@testable import Outreach

/// Issue 18, items 1, 3, 5 and 10 (part), through the real binary: exceptions that stick across
/// updates, a cancellation worded by its template alone, one occurrence cancelled, and `events show`
/// listing exceptions and marking what is past. The ICS is read back by icalendar and
/// recurring-ical-events (`Tests/peers/eventcli_eml.py`, `Tests/peers/eventcli_merge.py`).
@Suite(.serialized) struct EventExceptionsTests {
    typealias Setup = EventsCLITests.Setup

    /// `start` ("YYYY-MM-DD HH:MM") moved by whole days, at `time` (HH:MM) when given.
    static func day(_ start: String, plus days: Int, at time: String? = nil) -> String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let f = start.prefix(10).split(separator: "-").compactMap { Int($0) }
        let d = cal.date(
            byAdding: .day, value: days, to: cal.date(from: DateComponents(year: f[0], month: f[1], day: f[2]))!)!
        let c = cal.dateComponents([.year, .month, .day], from: d)
        return String(format: "%04d-%02d-%02d ", c.year!, c.month!, c.day!) + (time ?? String(start.suffix(5)))
    }

    /// The weekly four-meeting dinner of `EventsCLITests.create` with extra options.
    static func create(_ s: Setup, start: String, _ extra: [String]) throws -> JSON {
        try s.json(
            [
                "events", "create", "dinner", "--start", start, "--tz", "Europe/Copenhagen", "--duration", "2h",
                "--list", "club", "--rrule", "FREQ=WEEKLY;COUNT=4", "--remind", "-1d", "--remind", "-2h",
                "--location", "Sprogcenter, Vesterbrogade 1", "--title", "Dinner club", "--channel", "outbox",
            ] + extra)
    }

    /// "offset ms" of the reminders `events show` lists as scheduled (the occurrence index is left
    /// out: it counts occurrences after exceptions, so it shifts when one is added).
    static func scheduledInstants(_ s: Setup) throws -> Set<String> {
        Set(try EventsCLITests.shownReminders(s).map { String($0.split(separator: " ", maxSplits: 1)[1]) })
    }

    /// The reminder instants zoneinfo gives for the occurrences of a weekly series kept (by index).
    static func expectedInstants(_ start: String, keeping kept: [Int]) throws -> Set<String> {
        let e = try EventsCLITests.expected(start)
        return Set(kept.flatMap { i in ["-1d", "-2h"].map { "\($0) \(e[i][$0]!.intValue!)" } })
    }

    static func utc(_ start: String, index: Int) throws -> String {
        try EventsCLITests.expected(start)[index]["start_utc"]?.stringValue ?? "?"
    }

    /// Item 1: a second `--exdate` adds to the first instead of bringing it back; `--no-exdate` removes
    /// one; the command says which occurrences and exceptions changed.
    @Test func exdateAddsAndNoExdateRemoves() throws {
        let s = try EventsCLITests.setUp("ev-exadd")
        let start = EventsCLITests.futureStart
        let (second, third) = (Self.day(start, plus: 7), Self.day(start, plus: 14))
        _ = try Self.create(s, start: start, ["--exdate", second])
        #expect(try Self.scheduledInstants(s) == Self.expectedInstants(start, keeping: [0, 2, 3]))

        let text = try s.ok(["events", "update", "dinner", "--exdate", third])
        #expect(text.contains("exceptions added: \(third)"), "\(text)")
        #expect(text.contains("occurrences removed: \(third)"), "\(text)")
        var show = try s.json(["events", "show", "dinner"])
        #expect(show["exdates"]?.arrayValue?.compactMap(\.stringValue) == [second, third], "\(show)")
        #expect(show["occurrences"]?.arrayValue?.count == 2)
        #expect(try Self.scheduledInstants(s) == Self.expectedInstants(start, keeping: [0, 3]))

        let back = try s.json(["events", "update", "dinner", "--no-exdate", second])
        #expect(back["changes"]?["exceptions_removed"]?.arrayValue?.compactMap(\.stringValue) == [second])
        #expect(back["changes"]?["occurrences_added"]?.arrayValue?.compactMap(\.stringValue) == [second])
        #expect(back["changes"]?["occurrences_removed"]?.arrayValue?.isEmpty == true)
        #expect(back["queued"]?["reminders_scheduled"]?.intValue == 6)
        show = try s.json(["events", "show", "dinner"])
        #expect(show["exdates"]?.arrayValue?.compactMap(\.stringValue) == [third])
        #expect(try Self.scheduledInstants(s) == Self.expectedInstants(start, keeping: [0, 1, 3]))

        // The update invitation carries the exceptions: the series expands without the third meeting.
        _ = try s.json(["work", "--until-idle"])
        let last = try #require(try s.emails().last?["ics"])
        #expect(last["exdates_utc"]?.arrayValue?.compactMap(\.stringValue) == [try Self.utc(start, index: 2)])
        #expect(last["starts_utc"]?.arrayValue?.count == 3)

        // Refused with one sentence, nothing changed: removing what is not an exception, adding one twice.
        for (args, word) in [(["--no-exdate", second], "--no-exdate"), (["--exdate", third], "--exdate")] {
            let r = try TestSupport.outreachd(["--config", s.config, "events", "update", "dinner"] + args)
            #expect(r.status == 1 && r.stderr.contains(word), "\(args): \(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "one sentence: \(r.stderr)")
        }
        #expect(try s.json(["events", "show", "dinner"])["sequence"]?.intValue == 2)
    }

    /// Item 1: a new start moves the exceptions with the series by the same wall-clock offset, or is
    /// refused with one sentence when an exception would no longer fall on an occurrence.
    @Test func aNewStartMovesTheExceptionsOrIsRefused() throws {
        let s = try EventsCLITests.setUp("ev-exmove")
        let start = EventsCLITests.futureStart
        let second = Self.day(start, plus: 7)
        _ = try Self.create(s, start: start, ["--exdate", second])
        let later = Self.day(start, plus: 0, at: "18:30")
        let moved = try s.json(["events", "update", "dinner", "--start", later])
        let movedException = Self.day(start, plus: 7, at: "18:30")
        #expect(moved["exdates"]?.arrayValue?.compactMap(\.stringValue) == [movedException], "\(moved)")
        #expect(moved["occurrences"]?.arrayValue?.count == 3)
        #expect(
            moved["changes"]?["exceptions_moved"]?.arrayValue?.first?["to"]?.stringValue == movedException,
            "\(moved["changes"] ?? .null)")
        #expect(try Self.scheduledInstants(s) == Self.expectedInstants(later, keeping: [0, 2, 3]))

        // A Tuesday-and-Thursday series with its first Thursday left out: starting on that Thursday would
        // move the exception to a Saturday.
        let tuesday = Self.day(start, plus: -2)
        _ = try s.json(
            [
                "events", "create", "twice", "--start", tuesday, "--tz", "Europe/Copenhagen", "--duration", "1h",
                "--list", "club", "--rrule", "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=6", "--exdate", start,
                "--channel", "outbox",
            ])
        let r = try TestSupport.outreachd(["--config", s.config, "events", "update", "twice", "--start", start])
        #expect(r.status == 1, "\(r.stdout) \(r.stderr)")
        #expect(r.stderr.contains("--start") && r.stderr.contains(start), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "one sentence: \(r.stderr)")
        let twice = try s.json(["events", "show", "twice"])
        #expect(twice["sequence"]?.intValue == 0 && twice["exdates"]?.arrayValue?.count == 1)
    }

    /// Item 3: the cancellation passes the title as it is; the template words it per language.
    @Test func aCancellationIsWordedByItsTemplateOnly() throws {
        let s = try EventsCLITests.setUp("ev-cancel-title")
        _ = try EventsCLITests.create(s, "dinner", start: EventsCLITests.futureStart)
        _ = try s.json(["events", "cancel", "dinner"])
        _ = try s.json(["work", "--until-idle"])
        let mails = try s.emails().suffix(2)
        #expect(mails.count == 2)
        for m in mails {
            let danish = m["to"]?.stringValue?.contains("ana@") == true
            #expect(m["subject"]?.stringValue == (danish ? "Aflyst: Dinner club" : "Cancelled: Dinner club"), "\(m)")
            #expect(m["text"]?.stringValue?.contains("Cancelled: Cancelled") == false)
            #expect(m["text"]?.stringValue?.contains("Cancelled: Dinner") == false, "the body names it once")
            #expect(m["ics"]?["summary"]?.stringValue == "Dinner club")
        }
    }

    /// Item 5: one occurrence cancelled: a METHOD:CANCEL with RECURRENCE-ID for that date only, the
    /// exception added, that occurrence's reminders cancelled, the others kept.
    @Test func cancellingOneOccurrence() throws {
        let s = try EventsCLITests.setUp("ev-cancel-one")
        let start = EventsCLITests.futureStart
        let third = Self.day(start, plus: 14)
        _ = try EventsCLITests.create(s, "dinner", start: start)
        _ = try s.json(["work", "--until-idle"])
        let invitations = try s.emails()
        #expect(invitations.count == 2)

        let cancelled = try s.json(["events", "cancel", "dinner", "--occurrence", third])
        #expect(cancelled["state"]?.stringValue == "active")
        #expect(cancelled["sequence"]?.intValue == 1)
        #expect(cancelled["exdates"]?.arrayValue?.compactMap(\.stringValue) == [third])
        #expect(cancelled["changes"]?["occurrences_removed"]?.arrayValue?.compactMap(\.stringValue) == [third])
        #expect(cancelled["queued"]?["invitation"]?.intValue == 2, "a cancellation to each member")
        // The third meeting's reminders are gone from the schedule; the others stay.
        #expect(try Self.scheduledInstants(s) == Self.expectedInstants(start, keeping: [0, 1, 3]))

        _ = try s.json(["work", "--until-idle"])
        let mails = try s.emails()
        #expect(mails.count == 4)
        let thirdUTC = try Self.utc(start, index: 2)
        for m in mails.suffix(2) {
            #expect(m["calendar_parts"]?.arrayValue?.compactMap { $0["method"]?.stringValue } == ["CANCEL"])
            let ics = m["ics"]
            #expect(ics?["method"]?.stringValue == "CANCEL")
            #expect(ics?["status"]?.stringValue == "CANCELLED")
            #expect(ics?["recurrence_id_utc"]?.stringValue == thirdUTC, "\(ics ?? .null)")
            #expect(ics?["has_rrule"] == false)
            #expect(ics?["starts_utc"]?.arrayValue?.compactMap(\.stringValue) == [thirdUTC])
            #expect(ics?["uid"]?.stringValue == invitations[0]["ics"]?["uid"]?.stringValue)
            #expect(ics?["sequence"]?.intValue == 1)
            #expect(ics?["summary"]?.stringValue == "Dinner club")
            let danish = m["to"]?.stringValue?.contains("ana@") == true
            #expect(m["subject"]?.stringValue == (danish ? "Aflyst: Dinner club" : "Cancelled: Dinner club"))
        }
        // A calendar that got the invitation and then the cancellation keeps three meetings.
        let bo = (invitations + mails.suffix(2)).filter { $0["to"]?.stringValue?.contains("bo@") == true }
        let r = try TestSupport.run(
            "python3",
            [TestSupport.packageRoot + "/Tests/peers/eventcli_merge.py"] + bo.compactMap { $0["file"]?.stringValue })
        #expect(r.status == 0, "\(r.stderr)")
        let instances = try JSON.parse(r.stdout).arrayValue ?? []
        #expect(instances.count == 4)
        #expect(
            instances.filter { $0["status"]?.stringValue == "CANCELLED" }.compactMap { $0["start_utc"]?.stringValue }
                == [thirdUTC])

        // A later update keeps the exception (EXDATE) and does not bring the meeting back.
        _ = try s.json(["events", "update", "dinner", "--location", "Folkets Hus"])
        _ = try s.json(["work", "--until-idle"])
        let update = try #require(try s.emails().last?["ics"])
        #expect(update["exdates_utc"]?.arrayValue?.compactMap(\.stringValue) == [thirdUTC])
        #expect(update["starts_utc"]?.arrayValue?.count == 3)
        #expect(update["sequence"]?.intValue == 2)

        // Refused with one sentence: an occurrence that is not one, or already cancelled.
        for when in [Self.day(start, plus: 15), third] {
            let bad = try TestSupport.outreachd([
                "--config", s.config, "events", "cancel", "dinner", "--occurrence", when,
            ])
            #expect(bad.status == 1 && bad.stderr.contains("--occurrence"), "\(when): \(bad.stderr)")
            #expect(bad.stderr.split(separator: "\n").count == 1, "one sentence: \(bad.stderr)")
        }
        #expect(try s.json(["events", "show", "dinner"])["sequence"]?.intValue == 2)
    }

    /// Item 10 (part): `events show` lists the exceptions and marks the occurrences already past.
    @Test func showListsExceptionsAndMarksThePast() throws {
        let s = try EventsCLITests.setUp("ev-show-past")
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "Europe/Copenhagen")!
        let d = cal.dateComponents([.year, .month, .day], from: Date().addingTimeInterval(-10 * 86_400))
        let start = String(format: "%04d-%02d-%02d 12:00", d.year!, d.month!, d.day!)
        // Meetings 10 and 3 days ago, in 4 and 11 days; the one 3 days ago and the one in 11 days left out.
        let (pastException, futureException) = (Self.day(start, plus: 7), Self.day(start, plus: 21))
        _ = try s.json(
            [
                "events", "create", "club-night", "--start", start, "--tz", "Europe/Copenhagen", "--duration", "2h",
                "--list", "club", "--rrule", "FREQ=WEEKLY;COUNT=4", "--exdate", pastException, "--exdate",
                futureException, "--channel", "outbox",
            ])
        let show = try s.json(["events", "show", "club-night"])
        let occurrences = show["occurrences"]?.arrayValue ?? []
        #expect(occurrences.count == 2)
        #expect(occurrences.map { $0["past"] } == [true, false], "\(occurrences)")
        let exceptions = show["exceptions"]?.arrayValue ?? []
        #expect(exceptions.compactMap { $0["start"]?.stringValue } == [pastException, futureException], "\(show)")
        #expect(exceptions.map { $0["past"] } == [true, false])

        let text = try s.ok(["events", "show", "club-night"])
        let lines = text.split(separator: "\n").map(String.init)
        let occurrenceLines = lines.filter { $0.trimmingCharacters(in: .whitespaces).hasPrefix("#") }
        #expect(occurrenceLines.count == 2, "\(text)")
        #expect(occurrenceLines.first?.contains("past") == true, "\(text)")
        #expect(occurrenceLines.last?.contains("past") == false, "\(text)")
        let exceptionLines = lines.filter { $0.contains("exception") }
        #expect(exceptionLines.contains { $0.contains(pastException) }, "\(text)")
        #expect(exceptionLines.contains { $0.contains(futureException) }, "\(text)")
    }
}
