import Foundation
import Outreach
import Testing

/// Issue 15: a "no" holds through the CLI — re-import, an officer's subscribe, a campaign or event
/// queued before the unsubscribe, a hard bounce — checked with the real binary and its SQLite file.
@Suite struct ConsentCLITests {
    func o(_ config: String, _ a: [String]) throws -> TestSupport.ProcessResult {
        try TestSupport.outreachd(["--config", config] + a)
    }

    func json(_ config: String, _ a: [String]) throws -> JSON {
        let r = try o(config, a + ["--json"])
        #expect(r.status == 0, "\(a): \(r.stderr)")
        return try JSON.parse(r.stdout)
    }

    func members(_ config: String, _ list: String) throws -> JSON {
        try json(config, ["lists", "show", list])["members"] ?? .null
    }

    /// The same import after an unsubscribe keeps it, says so, and rewrites no consent record.
    @Test func reimportKeepsAnUnsubscribe() throws {
        let (dir, config) = try CrashTests.setUp("consent-reimport")
        let csv = dir + "/c.csv"
        try "email,name\na@example.org,A\nb@example.org,B\n".write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(try o(config, ["lists", "create", "news"]).status == 0)
        #expect(try o(config, ["contacts", "import", csv, "--list", "news"]).status == 0)
        #expect(try o(config, ["lists", "unsubscribe", "news", "a@example.org"]).status == 0)
        #expect(try members(config, "news")["unsubscribed"] == JSON(1))
        let again = try o(config, ["contacts", "import", csv, "--list", "news"])
        #expect(again.status == 0)
        #expect(again.stdout.contains("2 unchanged, 1 kept unsubscribed, 0 skipped"), "\(again.stdout)")
        let j = try json(config, ["contacts", "import", csv, "--list", "news"])
        #expect(j["kept_unsubscribed"] == JSON(1))
        let m = try members(config, "news")
        #expect(m["subscribed"] == JSON(1) && m["unsubscribed"] == JSON(1), "\(m)")
        let export = try JSON.parse(try o(config, ["contacts", "export", "a@example.org"]).stdout)
        let consent = export["consent"]?.arrayValue ?? []
        #expect(consent.map { $0["state"]?.stringValue ?? "" } == ["subscribed", "unsubscribed"], "\(consent)")
        #expect(consent.last?["source"] == "cli")
        #expect(consent.last?["from"] == "subscribed")
        #expect(export["memberships"]?.arrayValue?.first?["state"] == "unsubscribed")
    }

    /// An officer cannot subscribe someone who left, unless they give the person's own request as evidence.
    @Test func anOfficerNeedsEvidenceToResubscribe() throws {
        let (_, config) = try CrashTests.setUp("consent-resubscribe")
        #expect(try o(config, ["lists", "create", "news"]).status == 0)
        #expect(try o(config, ["lists", "subscribe", "news", "a@example.org", "b@example.org"]).status == 0)
        #expect(try o(config, ["lists", "unsubscribe", "news", "a@example.org"]).status == 0)
        let refused = try o(config, ["lists", "subscribe", "news", "a@example.org", "c@example.org"])
        #expect(refused.status == 1)
        #expect(
            refused.stderr.contains("a@example.org") && refused.stderr.contains("--resubscribe"), "\(refused.stderr)")
        #expect(refused.stderr.split(separator: "\n").count == 1)
        // Nothing changed: c was not added either.
        #expect(try members(config, "news")["subscribed"] == JSON(1))
        let noEvidence = try o(config, ["lists", "subscribe", "news", "a@example.org", "--resubscribe"])
        #expect(noEvidence.status != 0)
        let ok = try o(
            config,
            [
                "lists", "subscribe", "news", "a@example.org", "--resubscribe",
                "--evidence", "asked at the front desk on 3 Dec",
            ])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(try members(config, "news")["subscribed"] == JSON(2))
        let consent =
            try JSON.parse(try o(config, ["contacts", "export", "a@example.org"]).stdout)["consent"]?.arrayValue ?? []
        #expect(consent.last?["evidence"] == "asked at the front desk on 3 Dec")
        #expect(consent.last?["from"] == "unsubscribed")
    }

    /// `contacts add --list` follows the same rule, and a refusal leaves the contact as it was.
    @Test func contactsAddCannotResubscribeWithoutEvidence() throws {
        let (_, config) = try CrashTests.setUp("consent-add")
        #expect(try o(config, ["lists", "create", "news"]).status == 0)
        #expect(
            try o(config, ["contacts", "add", "--email", "a@example.org", "--name", "Ann", "--list", "news"]).status
                == 0)
        #expect(try o(config, ["lists", "unsubscribe", "news", "a@example.org"]).status == 0)
        let refused = try o(
            config, ["contacts", "add", "--email", "a@example.org", "--name", "Anna", "--list", "news"])
        #expect(refused.status == 1 && refused.stderr.contains("--resubscribe"), "\(refused.stderr)")
        #expect(try json(config, ["contacts", "show", "a@example.org"])["name"] == "Ann")
        let ok = try o(
            config,
            [
                "contacts", "add", "--email", "a@example.org", "--list", "news", "--resubscribe",
                "--evidence", "signed the paper form on 4 Dec",
            ])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(try members(config, "news")["subscribed"] == JSON(1))
    }

    /// 1,000 members, a started campaign, 100 leave before `work`: exactly 900 sent, 100 cancelled (unsubscribed).
    @Test func unsubscribesBetweenStartAndWorkAreCancelled() throws {
        let (dir, config) = try CrashTests.setUp("consent-campaign")
        var csv = "email,name\n"
        for i in 0..<1000 { csv += "p\(i)@example.org,P \(i)\n" }
        try csv.write(toFile: dir + "/c.csv", atomically: true, encoding: .utf8)
        #expect(try o(config, ["lists", "create", "news"]).status == 0)
        #expect(try o(config, ["contacts", "import", dir + "/c.csv", "--list", "news"]).status == 0)
        #expect(
            try o(config, ["campaigns", "create", "n1", "--template", "note", "--list", "news", "--channel", "outbox"])
                .status == 0)
        #expect(try o(config, ["campaigns", "start", "n1"]).status == 0)
        let leavers = (0..<100).map { "p\($0 * 10)@example.org" }
        #expect(try o(config, ["lists", "unsubscribe", "news"] + leavers).status == 0)
        // At once: the queue no longer holds their mail.
        let queue = try json(config, ["queue", "status"])
        #expect(queue["queued"] == JSON(900) && queue["cancelled"] == JSON(100), "\(queue)")
        #expect(try o(config, ["work", "--until-idle"]).status == 0)
        let s = try json(config, ["campaigns", "status", "n1"])
        #expect(s["sent"] == JSON(900) && s["cancelled"] == JSON(100), "\(s)")
        #expect(s["cancelled_reasons"]?["unsubscribed"] == JSON(100), "\(s)")
        #expect(try o(config, ["campaigns", "report", "n1", "--html", dir + "/report.html"]).status == 0)
        let report = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
        #expect(report.contains("<tr><td>unsubscribed</td><td class=n>100</td></tr>"), "\(report)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/data/outbox").filter {
            $0.hasSuffix(".eml")
        }
        #expect(files.count == 900)
        let all = try files.map { try String(contentsOfFile: dir + "/data/outbox/" + $0, encoding: .utf8) }.joined()
        #expect(!all.contains("p10@example.org") && !all.contains("p990@example.org"))
    }

    /// The send-time check on its own: a membership changed behind the store's back (no cancel at
    /// the change) still stops the delivery when it is claimed, and a suppression too.
    @Test func theClaimChecksConsentAgain() throws {
        let (dir, config) = try CrashTests.setUp("consent-claim")
        #expect(try o(config, ["lists", "create", "news"]).status == 0)
        #expect(
            try o(config, ["lists", "subscribe", "news", "a@example.org", "b@example.org", "c@example.org"]).status == 0
        )
        #expect(
            try o(config, ["campaigns", "create", "n1", "--template", "note", "--list", "news", "--channel", "outbox"])
                .status == 0)
        #expect(try o(config, ["campaigns", "start", "n1"]).status == 0)
        let db = dir + "/data/outreach.db"
        let r = try TestSupport.run(
            "sqlite3",
            [
                db,
                """
                UPDATE memberships SET state = 'unsubscribed' WHERE contact_id = (SELECT id FROM contacts WHERE email = 'a@example.org');
                INSERT INTO suppressions(address, reason, created_at) VALUES('b@example.org', 'complaint', 0);
                """,
            ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try o(config, ["work", "--until-idle"]).status == 0)
        let s = try json(config, ["campaigns", "status", "n1"])
        #expect(s["sent"] == JSON(1) && s["cancelled"] == JSON(2), "\(s)")
        #expect(
            s["cancelled_reasons"]?["unsubscribed"] == JSON(1) && s["cancelled_reasons"]?["suppressed"] == JSON(1),
            "\(s)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir + "/data/outbox").filter {
            $0.hasSuffix(".eml")
        }
        #expect(files.count == 1)
    }

    /// A participant who unsubscribes gets none of the reminders fanned out and still queued, nor
    /// any later one (each reaches the members of its moment).
    @Test func anUnsubscribeCancelsQueuedEventReminders() throws {
        let (dir, config) = try CrashTests.setUp("consent-event")
        // Events need all three templates (a cancellation is worded by its own).
        for t in ["event-invitation", "event-reminder", "event-cancellation"] {
            try FileManager.default.createDirectory(atPath: dir + "/templates/\(t)", withIntermediateDirectories: true)
            try "---\nsubject: {{event.title}}\n---\n{{event.title}} {{event.when}}\n"
                .write(toFile: dir + "/templates/\(t)/email.en.txt", atomically: true, encoding: .utf8)
        }
        #expect(try o(config, ["lists", "create", "club"]).status == 0)
        #expect(try o(config, ["lists", "subscribe", "club", "a@example.org", "b@example.org"]).status == 0)
        let c = try o(
            config,
            [
                "events", "create", "dinner", "--start", "2031-03-06 18:00", "--tz", "Europe/Copenhagen",
                "--duration", "2h", "--list", "club", "--rrule", "FREQ=WEEKLY;COUNT=4", "--remind", "-1d",
                "--channel", "outbox",
            ])
        #expect(c.status == 0, "\(c.stderr)")
        let db = dir + "/data/outreach.db"
        // The first reminder falls due (fanned out in this process, as `serve` would then).
        let store = try SQLiteStore(path: db)
        let first = try #require(WallClock.parseRFC3339("2031-03-05T17:00:00Z"))
        #expect(try store.fanOutDueReminders(now: first).deliveries == 2)
        let aPending =
            "SELECT COUNT(*) FROM deliveries WHERE address = 'a@example.org' AND state IN ('queued','failed')"
        #expect(try CrashTests.count(db, aPending) == 2, "the invitation and the first reminder")
        #expect(try o(config, ["lists", "unsubscribe", "club", "a@example.org"]).status == 0)
        #expect(try CrashTests.count(db, aPending) == 0)
        #expect(try store.fanOutDueReminders(now: first + 7 * 86_400_000).deliveries == 1)
        #expect(try CrashTests.count(db, aPending) == 0)
        #expect(
            try CrashTests.count(
                db, "SELECT COUNT(*) FROM deliveries WHERE address = 'b@example.org' AND state = 'queued'") == 3)
    }
}
