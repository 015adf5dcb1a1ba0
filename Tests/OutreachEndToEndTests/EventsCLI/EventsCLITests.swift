import Foundation
import Testing
@testable import Outreach

/// `outreachd events …` through the real binary: the store, the queue, the outbox, and what
/// Python's email, icalendar, recurring-ical-events and zoneinfo make of the result.
@Suite(.serialized) struct EventsCLITests {
    struct Setup {
        let dir: String
        let config: String
        var db: String { dir + "/data/outreach.db" }
        var outbox: String { dir + "/data/outbox" }

        /// Runs outreachd and expects success.
        @discardableResult
        func ok(_ args: [String]) throws -> String {
            let r = try TestSupport.outreachd(["--config", config] + args)
            #expect(r.status == 0, "outreachd \(args.joined(separator: " ")): \(r.stderr)")
            return r.stdout
        }

        func json(_ args: [String]) throws -> JSON { try JSON.parse(try ok(args + ["--json"])) }

        /// Rows from the sqlite3 shell (an independent reader of the database), as JSON objects.
        func rows(_ sql: String) throws -> [JSON] {
            let r = try TestSupport.run("sqlite3", ["-json", db, sql])
            #expect(r.status == 0, "\(r.stderr)")
            let text = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? [] : (try JSON.parse(text).arrayValue ?? [])
        }

        /// The .eml files in the outbox, parsed by tests/peers/eventcli_eml.py, oldest first.
        func emails() throws -> [JSON] {
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: outbox)) ?? []).filter {
                $0.hasSuffix(".eml")
            }
            .sorted { Int($0.dropLast(4)) ?? 0 < Int($1.dropLast(4)) ?? 0 }.map { outbox + "/" + $0 }
            guard !files.isEmpty else { return [] }
            let r = try TestSupport.run("python3", [TestSupport.packageRoot + "/Tests/peers/eventcli_eml.py"] + files)
            #expect(r.status == 0, "\(r.stderr)")
            return try JSON.parse(r.stdout).arrayValue ?? []
        }
    }

    /// Starter templates, an outbox channel (and optionally a room webhook), and a list with Ana
    /// (Danish, Copenhagen) and Bo (English, New York).
    static func setUp(_ label: String, room: String? = nil) throws -> Setup {
        let dir = TestSupport.temporaryDirectory(label)
        let config = dir + "/outreachd.conf"
        var text = """
            data_dir = "\(dir)/data"
            templates_dir = "\(TestSupport.packageRoot)/templates"
            [sender]
            from = "Connecting Friends <venner@sprogcenter.example>"
            [channels.outbox]
            type = "outbox"
            dir = "outbox"

            """
        if let room {
            text += """
                [channels.team]
                type = "webhook"
                preset = "mattermost"
                url = "\(room)/hooks/team"
                target = "room"

                """
        }
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        let s = Setup(dir: dir, config: config)
        try s.ok(["lists", "create", "club"])
        try s.ok([
            "contacts", "add", "--email", "ana@example.org", "--name", "Ana Søndergård", "--locale", "da", "--tz",
            "Europe/Copenhagen",
        ])
        try s.ok([
            "contacts", "add", "--email", "bo@example.org", "--name", "Bo Smith", "--locale", "en", "--tz",
            "America/New_York",
        ])
        try s.ok(["lists", "subscribe", "club", "ana@example.org", "bo@example.org"])
        return s
    }

    /// A Thursday 18:00 ten days before the end of summer time next year: a 4-week weekly series
    /// from there has two meetings in summer time and two after, all still in the future.
    static var futureStart: String {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let year = cal.component(.year, from: Date()) + 1
        var day = cal.date(from: DateComponents(year: year, month: 10, day: 31))!
        while cal.component(.weekday, from: day) != 1 { day = cal.date(byAdding: .day, value: -1, to: day)! }
        let thursday = cal.date(byAdding: .day, value: -10, to: day)!
        let c = cal.dateComponents([.year, .month, .day], from: thursday)
        return String(format: "%04d-%02d-%02d 18:00", c.year!, c.month!, c.day!)
    }

    /// zoneinfo's answer for a weekly series (see Tests/peers/eventcli_expected.py).
    static func expected(_ start: String, count: Int = 4, reader: String = "Europe/Copenhagen") throws -> [JSON] {
        let r = try TestSupport.run(
            "python3",
            [
                TestSupport.packageRoot + "/Tests/peers/eventcli_expected.py", "Europe/Copenhagen", start,
                String(count), reader,
            ])
        #expect(r.status == 0, "\(r.stderr)")
        return try JSON.parse(r.stdout).arrayValue ?? []
    }

    static func create(_ s: Setup, _ name: String, start: String, channels: [String] = ["outbox"]) throws -> JSON {
        try s.json(
            [
                "events", "create", name, "--start", start, "--tz", "Europe/Copenhagen", "--duration", "2h", "--list",
                "club",
                "--rrule", "FREQ=WEEKLY;COUNT=4", "--remind", "-1d", "--remind", "-2h", "--location",
                "Sprogcenter, Vesterbrogade 1",
                "--title", "Dinner club",
            ] + channels.flatMap { ["--channel", $0] })
    }

    /// (occurrence, offset, at ms) of every reminder delivery in a state, per channel and address.
    static func reminderRows(_ s: Setup, state: String) throws -> [JSON] {
        try s.rows(
            """
            SELECT json_extract(m.data, '$.event.occurrence') AS occurrence, json_extract(m.data, '$.reminder') AS offset,
                   d.next_attempt_at AS at, d.channel AS channel, d.address AS address
            FROM deliveries d JOIN messages m ON m.id = d.message_id
            WHERE m.template = 'event-reminder' AND d.state = '\(state)' ORDER BY at, address
            """)
    }

    /// "occurrence offset ms" of each reminder `events show` lists in `state` (default scheduled:
    /// none is queued ahead, each fans out when it falls due).
    static func shownReminders(_ s: Setup, _ name: String = "dinner", state: String = "scheduled") throws -> Set<String>
    {
        let show = try s.json(["events", "show", name])
        return Set(
            (show["occurrences"]?.arrayValue ?? []).flatMap { o in
                (o["reminders"]?.arrayValue ?? []).filter { $0["state"]?.stringValue == state }.map {
                    let at = WallClock.parseRFC3339($0["at_utc"]?.stringValue ?? "") ?? 0
                    return "\(o["index"]?.intValue ?? -1) \($0["offset"]?.stringValue ?? "") \(at)"
                }
            })
    }

    /// The instant of reminder `reminder` of occurrence `occurrence` as `events show --json` lists it.
    static func reminderInstant(_ s: Setup, _ name: String = "dinner", occurrence: Int, reminder: Int = 0) throws
        -> Int64
    {
        let o = try s.json(["events", "show", name])["occurrences"]?.arrayValue ?? []
        let r = try #require(o[occurrence]["reminders"]?.arrayValue?[reminder])
        return try #require(WallClock.parseRFC3339(r["at_utc"]?.stringValue ?? ""))
    }

    /// Fans out, in this process, the reminders due at `at` (ms), as `serve` or `work` would then.
    @discardableResult
    static func fanOut(_ s: Setup, at: Int64) throws -> ReminderFanOut {
        try SQLiteStore(path: s.db).fanOutDueReminders(now: at)
    }

    /// The reminder instants zoneinfo expects, as (occurrence, offset, ms) triples.
    static func expectedReminders(_ e: [JSON]) -> Set<String> {
        Set(e.flatMap { o in ["-1d", "-2h"].map { "\(o["index"]!.intValue!) \($0) \(o[$0]!.intValue!)" } })
    }

    static func actualReminders(_ rows: [JSON]) -> Set<String> {
        Set(
            rows.map {
                "\($0["occurrence"]?.intValue ?? -1) \($0["offset"]?.stringValue ?? "") \($0["at"]?.intValue ?? 0)"
            })
    }

    @Test func aWeeklySeriesKeepsEighteenLocalAcrossTheEndOfSummerTime() throws {
        let s = try Self.setUp("ev-dst")
        _ = try Self.create(s, "autumn", start: "2026-10-15 18:00")
        let show = try s.json(["events", "show", "autumn"])
        let occurrences = show["occurrences"]?.arrayValue ?? []
        let expected = try Self.expected("2026-10-15 18:00")
        #expect(occurrences.count == 4)
        #expect(
            occurrences.compactMap { $0["start_utc"]?.stringValue }
                == expected.compactMap { $0["start_utc"]?.stringValue })
        // Both sides of 25 October: 18:00 local, +02:00 before and +01:00 after, as zoneinfo says.
        for (o, x) in zip(occurrences, expected) {
            let offset = x["utc_offset_hours"]!.serialized.hasPrefix("2") ? "+02:00" : "+01:00"
            #expect(o["start_local"]?.stringValue?.hasSuffix("T18:00:00" + offset) == true, "\(o)")
            let reminders = o["reminders"]?.arrayValue ?? []
            #expect(
                reminders.map { WallClock.parseRFC3339($0["at_utc"]?.stringValue ?? "") } == [
                    x["-1d"]?.intValue.map(Int64.init), x["-2h"]?.intValue.map(Int64.init),
                ])
        }
        #expect(
            Set(expected.map { $0["utc_offset_hours"]!.serialized }).count == 2,
            "the series must straddle the DST change")
        #expect(show["uid"]?.stringValue?.hasSuffix("@sprogcenter.example") == true)
        #expect(show["sequence"]?.intValue == 0 && show["state"]?.stringValue == "active")
        let list = try s.json(["events", "list"]).arrayValue ?? []
        #expect(list.map { $0["name"]?.stringValue } == ["autumn"])
    }

    @Test func remindersWaitForTheirInstantsAndOnlyInvitationsGoOut() throws {
        let recorder = try HTTPRecorder()
        let s = try Self.setUp("ev-queue", room: recorder.url)
        let start = Self.futureStart
        let created = try Self.create(s, "dinner", start: start, channels: ["outbox", "team"])
        // 2 people on the outbox and 1 room post, per invitation and per reminder.
        #expect(created["queued"]?["invitation"]?.intValue == 3)
        // The reminders are scheduled, not queued: each fans out to the members of its moment.
        #expect(created["queued"]?["reminders_scheduled"]?.intValue == 4 * 2)
        let expected = try Self.expected(start, reader: "America/New_York")
        #expect(
            created["queued"]?["next_reminder_at"]?.stringValue.flatMap(WallClock.parseRFC3339)
                == expected[0]["-1d"]?.intValue.map(Int64.init))
        #expect(try Self.reminderRows(s, state: "queued").isEmpty)
        #expect(try Self.shownReminders(s) == Self.expectedReminders(expected))
        // `queue status --json` tells the queue (3 invitations) from what is scheduled.
        let status = try s.json(["queue", "status"])
        #expect(status["queued"]?.intValue == 3 && status["event_reminders"]?["scheduled"]?.intValue == 8)
        #expect(
            status["event_reminders"]?["next_at"]?.stringValue.flatMap(WallClock.parseRFC3339)
                == expected[0]["-1d"]?.intValue.map(Int64.init))
        let statusText = try s.ok(["queue", "status"])
        #expect(statusText.contains("event reminders scheduled 8 (not queued yet"), "\(statusText)")

        let work = try s.json(["work", "--until-idle"])
        #expect(work["sent"]?.intValue == 3, "\(work)")
        #expect(recorder.requests().count == 1, "the room gets one post per invitation")
        #expect(try Self.reminderRows(s, state: "queued").isEmpty, "reminders not yet due are not queued")
        let mails = try s.emails()
        #expect(mails.count == 2)
        let show = try s.json(["events", "show", "dinner"])
        let showStarts = (show["occurrences"]?.arrayValue ?? []).compactMap { $0["start_utc"]?.stringValue }
        #expect(showStarts == expected.compactMap { $0["start_utc"]?.stringValue })
        for m in mails {
            #expect(m["calendar_parts"]?.arrayValue?.compactMap { $0["method"]?.stringValue } == ["REQUEST"])
            #expect(m["attachments"]?.arrayValue?.compactMap { $0["filename"]?.stringValue } == ["invite.ics"])
            let ics = m["ics"]
            #expect(ics?["method"]?.stringValue == "REQUEST")
            #expect(ics?["uid"]?.stringValue == show["uid"]?.stringValue)
            #expect(ics?["sequence"]?.intValue == 0)
            #expect(ics?["status"]?.stringValue == "CONFIRMED")
            #expect(ics?["vtimezones"]?.arrayValue?.compactMap(\.stringValue) == ["Europe/Copenhagen"])
            #expect(ics?["starts_utc"]?.arrayValue?.compactMap(\.stringValue) == showStarts)
            // event.when in the reader's language, by the place's clock (an in-person event, issue 18.6):
            // Ana in Copenhagen reads 18.00; Bo in New York reads 18:00 with the zone named.
            let text = m["text"]?.stringValue ?? ""
            if m["to"]?.stringValue?.contains("ana@") == true {
                #expect(text.contains("kl. 18.00\n") && !text.contains("-tid"), "\(text)")
                #expect(ics?["attendees"]?.arrayValue?.compactMap(\.stringValue) == ["mailto:ana@example.org"])
            } else {
                #expect(text.contains("at 18:00 (Copenhagen Time)"), "\(text)")
            }
        }

        // One reminder falls due (the day before the third meeting, after Europe left summer time but
        // New York has not), with nothing run for a week: it goes out as a plain email about that
        // meeting, and once to the room; the second meeting's -2h, whose meeting has begun, is skipped.
        let due = try #require(expected[2]["-1d"]?.intValue.map(Int64.init))
        let fanned = try Self.fanOut(s, at: due)
        #expect(fanned.reminders == 1 && fanned.deliveries == 3 && fanned.skipped == 1, "\(fanned)")
        #expect(try Self.fanOut(s, at: due) == ReminderFanOut(), "once")
        #expect(try Self.shownReminders(s, state: "queued") == ["2 -1d \(due)"])
        #expect(try Self.shownReminders(s, state: "skipped") == ["1 -2h \(expected[1]["-2h"]!.intValue!)"])
        _ = try s.rows("UPDATE deliveries SET next_attempt_at = 0 WHERE state = 'queued'")
        #expect(try s.json(["work", "--until-idle"])["sent"]?.intValue == 3)
        #expect(try Self.shownReminders(s, state: "sent") == ["2 -1d \(due)"])
        let shown = try s.ok(["events", "show", "dinner"])
        #expect(shown.contains(")  sent 3\n") && shown.contains(")  skipped\n") && shown.contains(")  scheduled\n"))
        #expect(recorder.requests().count == 2)
        let reminders = try s.emails().dropFirst(2)
        #expect(reminders.count == 2)
        for m in reminders {
            #expect(m["subject"]?.stringValue?.contains("Dinner club") == true)
            #expect(
                m["calendar_parts"]?.arrayValue?.isEmpty == true && m["ics"] == nil, "a reminder carries no invitation")
            let text = m["text"]?.stringValue ?? ""
            let hm = m["to"]?.stringValue?.contains("ana@") == true ? "kl. 18.00" : "at 18:00 (Copenhagen Time)"
            #expect(text.contains(hm), "\(text)")
        }
    }

    @Test func anUpdateRaisesTheSequenceAndMovesTheReminders() throws {
        let s = try Self.setUp("ev-update")
        let start = Self.futureStart
        _ = try Self.create(s, "dinner", start: start)
        _ = try s.json(["work", "--until-idle"])
        let later = String(start.prefix(10)) + " 19:00"
        let updated = try s.json(["events", "update", "dinner", "--start", later, "--location", "Folkets Hus"])
        #expect(updated["sequence"]?.intValue == 1)
        // Nothing was queued ahead, so nothing is cancelled; the reminders follow zoneinfo's instants for 19:00.
        #expect(updated["queued"]?["cancelled_reminders"]?.intValue == 0)
        #expect(updated["queued"]?["reminders_scheduled"]?.intValue == 8)
        #expect(try Self.shownReminders(s) == Self.expectedReminders(try Self.expected(later)))

        _ = try s.json(["work", "--until-idle"])
        let mails = try s.emails()
        #expect(mails.count == 4)
        let show = try s.json(["events", "show", "dinner"])
        let showStarts = (show["occurrences"]?.arrayValue ?? []).compactMap { $0["start_utc"]?.stringValue }
        #expect(showStarts == (try Self.expected(later)).compactMap { $0["start_utc"]?.stringValue })
        let first = mails.prefix(2).compactMap { $0["ics"] }
        let update = mails.suffix(2).compactMap { $0["ics"] }
        #expect(
            Set(first.compactMap { $0["uid"]?.stringValue }) == Set(update.compactMap { $0["uid"]?.stringValue }),
            "the UID is stable")
        for ics in update {
            #expect(ics["method"]?.stringValue == "REQUEST")
            #expect(ics["sequence"]?.intValue == 1)
            #expect(ics["location"]?.stringValue == "Folkets Hus")
            #expect(ics["starts_utc"]?.arrayValue?.compactMap(\.stringValue) == showStarts)
        }
    }

    /// Title, rule and reminders change too; what the update invitation says is read back by
    /// icalendar and recurring-ical-events.
    @Test func anUpdateCanChangeTitleRuleAndReminders() throws {
        let s = try Self.setUp("ev-update-rule")
        let start = Self.futureStart
        _ = try Self.create(s, "dinner", start: start)
        _ = try s.json(["work", "--until-idle"])
        let updated = try s.json([
            "events", "update", "dinner", "--title", "Dinner & talk", "--rrule", "FREQ=WEEKLY;COUNT=2", "--remind",
            "-3h",
        ])
        #expect(updated["sequence"]?.intValue == 1)
        #expect(updated["queued"]?["cancelled_reminders"]?.intValue == 0)
        // Two occurrences × one reminder.
        let starts = (try Self.expected(start, count: 2)).compactMap {
            $0["start_utc"]?.stringValue.flatMap(WallClock.parseRFC3339)
        }
        #expect(
            try Self.shownReminders(s)
                == Set(starts.enumerated().map { "\($0.offset) -3h \($0.element - 3 * 3_600_000)" }))
        _ = try s.json(["work", "--until-idle"])
        let update = try s.emails().suffix(2)
        for m in update {
            #expect(m["ics"]?["summary"]?.stringValue == "Dinner & talk")
            #expect(m["ics"]?["sequence"]?.intValue == 1)
            #expect(m["ics"]?["starts_utc"]?.arrayValue?.count == 2)
            #expect(m["subject"]?.stringValue?.contains("Dinner & talk") == true, "\(m["subject"] ?? .null)")
        }
        // No reminders at all, then no series at all.
        let quiet = try s.json(["events", "update", "dinner", "--no-reminders"])
        #expect(quiet["queued"]?["reminders_scheduled"]?.intValue == 0)
        #expect(try Self.shownReminders(s).isEmpty)
        _ = try s.json(["events", "update", "dinner", "--rrule", ""])
        let show = try s.json(["events", "show", "dinner"])
        #expect(show["occurrences"]?.arrayValue?.count == 1)
        #expect(show["sequence"]?.intValue == 3)
        // Refused, naming what is wrong, and nothing changes.
        for (args, word, status) in [
            (["--remind", "-1d", "--no-reminders"], "--no-reminders", Int32(2)),
            (["--rrule", "FREQ=HOURLY"], "--rrule", 1),
            (["--title", " "], "--title", 2), (["--remind", "1d"], "--remind", 1),
        ] {
            let r = try TestSupport.outreachd(["--config", s.config, "events", "update", "dinner"] + args)
            #expect(r.status == status, "\(args): \(r.stderr)")
            #expect(r.stderr.contains(word), "\(args): \(r.stderr)")
        }
        #expect(try s.json(["events", "show", "dinner"])["sequence"]?.intValue == 3)
    }

    /// Someone who joins the list after the event was made gets what the members got: the
    /// current invitation (here the update) at once, and the reminders when they fall due; who
    /// left by then does not.
    @Test func newMembersGetTheCurrentInvitationAndTheRemindersWhenDue() throws {
        let s = try Self.setUp("ev-join")
        let start = Self.futureStart
        _ = try Self.create(s, "dinner", start: start)
        _ = try s.json(["work", "--until-idle"])
        _ = try s.json(["events", "update", "dinner", "--location", "Folkets Hus"])
        _ = try s.json(["work", "--until-idle"])
        #expect(try s.emails().count == 4, "the invitation, then the update")

        try s.ok(["contacts", "add", "--email", "cy@example.org", "--name", "Cy", "--locale", "en", "--list", "club"])
        try "email,name,locale\ndee@example.org,Dee,da\n".write(
            toFile: s.dir + "/more.csv", atomically: true, encoding: .utf8)
        try s.ok(["contacts", "import", s.dir + "/more.csv", "--list", "club"])
        // Subscribing again, or leaving and coming back, queues nothing twice.
        try s.ok(["lists", "subscribe", "club", "cy@example.org"])
        try s.ok(["lists", "unsubscribe", "club", "cy@example.org"])
        // Coming back takes the person's own request (issue 15).
        try s.ok([
            "lists", "subscribe", "club", "cy@example.org", "--resubscribe", "--evidence", "asked again by phone",
        ])
        #expect(try Self.reminderRows(s, state: "queued").isEmpty, "nothing is queued ahead for them")

        _ = try s.json(["work", "--until-idle"])
        let mails = try s.emails()
        #expect(mails.count == 6)
        for m in mails.suffix(2) {
            #expect(m["ics"]?["method"]?.stringValue == "REQUEST")
            #expect(m["ics"]?["sequence"]?.intValue == 1)
            #expect(m["ics"]?["location"]?.stringValue == "Folkets Hus")
        }
        #expect(Set(mails.suffix(2).compactMap { $0["to"]?.stringValue }).count == 2)
        #expect(
            mails.suffix(2).allSatisfy {
                ($0["to"]?.stringValue ?? "").contains("cy@") || ($0["to"]?.stringValue ?? "").contains("dee@")
            })
        // The first reminder reaches the four members of its moment; the next, after Dee left, three.
        let expected = try Self.expected(start)
        func reminded(at: Int64) throws -> [String] {
            try Self.reminderRows(s, state: "queued").filter { $0["at"]?.intValue.map(Int64.init) == at }
                .compactMap { $0["address"]?.stringValue }.sorted()
        }
        let first = try #require(expected[0]["-1d"]?.intValue.map(Int64.init))
        #expect(try Self.fanOut(s, at: first).deliveries == 4)
        #expect(try reminded(at: first) == ["ana@example.org", "bo@example.org", "cy@example.org", "dee@example.org"])
        try s.ok(["lists", "unsubscribe", "club", "dee@example.org"])
        let second = try #require(expected[0]["-2h"]?.intValue.map(Int64.init))
        #expect(try Self.fanOut(s, at: second).deliveries == 3)
        #expect(try reminded(at: second) == ["ana@example.org", "bo@example.org", "cy@example.org"])
        // A cancelled event brings nobody in.
        _ = try s.json(["events", "cancel", "dinner"])
        try s.ok(["contacts", "add", "--email", "eve@example.org", "--list", "club"])
        #expect(try s.rows("SELECT id FROM deliveries WHERE address = 'eve@example.org'").isEmpty)
    }

    @Test func cancellingSendsMethodCancelAndCancelsTheReminders() throws {
        let s = try Self.setUp("ev-cancel")
        _ = try Self.create(s, "dinner", start: Self.futureStart)
        _ = try s.json(["work", "--until-idle"])
        // The first reminder fell due and waits (quiet hours, a retry): cancelling cancels it.
        let first = try #require(try Self.expected(Self.futureStart)[0]["-1d"]?.intValue.map(Int64.init))
        #expect(try Self.fanOut(s, at: first).deliveries == 2)
        let cancelled = try s.json(["events", "cancel", "dinner"])
        #expect(cancelled["state"]?.stringValue == "cancelled")
        #expect(cancelled["queued"]?["cancelled_reminders"]?.intValue == 2)
        #expect(try Self.reminderRows(s, state: "queued").isEmpty)
        #expect(try Self.reminderRows(s, state: "cancelled").count == 2)
        #expect(try Self.fanOut(s, at: first + 86_400_000) == ReminderFanOut(), "a cancelled event reminds nobody")
        _ = try s.json(["work", "--until-idle"])
        let mails = try s.emails()
        #expect(mails.count == 4)
        for m in mails.suffix(2) {
            #expect(m["calendar_parts"]?.arrayValue?.compactMap { $0["method"]?.stringValue } == ["CANCEL"])
            #expect(m["ics"]?["method"]?.stringValue == "CANCEL")
            #expect(m["ics"]?["status"]?.stringValue == "CANCELLED")
            #expect(m["ics"]?["sequence"]?.intValue == 1)
            #expect(m["ics"]?["uid"]?.stringValue == mails[0]["ics"]?["uid"]?.stringValue)
        }
        // A cancelled event cannot be changed or cancelled again; nothing more is queued.
        let again = try TestSupport.outreachd([
            "--config", s.config, "events", "update", "dinner", "--location", "Elsewhere",
        ])
        #expect(again.status == 1 && again.stderr.contains("cancelled"))
        #expect(try TestSupport.outreachd(["--config", s.config, "events", "cancel", "dinner"]).status == 1)
        #expect(try s.rows("SELECT id FROM deliveries WHERE state = 'queued'").isEmpty)
    }

    /// Issue 18.11: an event cancelled before its invitation went out sends the cancellation
    /// alone — nobody gets an invitation and its cancellation.
    @Test func cancellingBeforeTheInvitationWentOutSendsOnlyTheCancellation() throws {
        let s = try Self.setUp("ev-cancel-early")
        _ = try Self.create(s, "dinner", start: Self.futureStart)
        let cancelled = try s.json(["events", "cancel", "dinner"])
        #expect(cancelled["queued"]?["cancelled_invitations_and_updates"]?.intValue == 2)
        #expect(try s.json(["work", "--until-idle"])["sent"]?.intValue == 2)
        let mails = try s.emails()
        #expect(mails.compactMap { $0["ics"]?["method"]?.stringValue } == ["CANCEL", "CANCEL"])
    }

    @Test func badInputIsRefusedNamingTheOptionAndStoresNothing() throws {
        let s = try Self.setUp("ev-bad")
        let base = [
            "events", "create", "x", "--start", "2026-12-03 18:00", "--tz", "Europe/Copenhagen", "--duration", "2h",
            "--list", "club",
        ]
        func refused(_ replace: [String: String], extra: [String] = [], naming word: String, status: Int32 = 1) throws {
            var args = base
            for (k, v) in replace { if let i = args.firstIndex(of: k) { args[i + 1] = v } }
            let r = try TestSupport.outreachd(["--config", s.config] + args + extra)
            #expect(r.status == status, "\(args + extra): \(r.stderr)")
            #expect(r.stderr.contains(word), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "one sentence: \(r.stderr)")
        }
        try refused(["--tz": "CET"], naming: "--tz")
        try refused(["--start": "03/12/2026 18:00"], naming: "--start")
        try refused(["--duration": "0h"], naming: "--duration")
        try refused([:], extra: ["--rrule", "FREQ=HOURLY"], naming: "--rrule")
        try refused([:], extra: ["--remind", "1d"], naming: "--remind")
        try refused([:], extra: ["--channel", "nope"], naming: "--channel")
        try refused(["--list": "nolist"], naming: "nolist")
        try refused([:], extra: ["--exdate", "2026-12-10 18:00"], naming: "--exdate")
        let missing = try TestSupport.outreachd([
            "--config", s.config, "events", "create", "x", "--tz", "UTC", "--duration", "1h", "--list", "club",
        ])
        #expect(missing.status == 2 && missing.stderr.contains("--start"))
        #expect(try s.json(["events", "list"]).arrayValue?.isEmpty == true)
        #expect(try s.rows("SELECT id FROM deliveries").isEmpty)
        let unknown = try TestSupport.outreachd(["--config", s.config, "events", "show", "ghost"])
        #expect(unknown.status == 1 && unknown.stderr.contains("ghost"))
    }
}
