import Foundation
import Testing
@testable import Outreach

/// Review of issue 15 (helper g): ways a "no" still does not hold, through the real binary and its
/// SQLite file. Each test states what a careful list operator expects; they fail on 23b641f.
@Suite struct ReviewGConsentCLITests {
    func o(_ config: String, _ a: [String]) throws -> TestSupport.ProcessResult {
        try TestSupport.outreachd(["--config", config] + a)
    }

    func sql(_ db: String, _ text: String) throws -> String {
        let r = try TestSupport.run("sqlite3", ["-cmd", ".timeout 10000", db, text])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// CrashTests' setup plus an SMS outbox channel (`sms`) and an SMS variant of `note`.
    func setUpWithSMS(_ label: String) throws -> (dir: String, config: String, db: String) {
        let (dir, config) = try CrashTests.setUp(label)
        try "Hi {{contact.name}}\n".write(toFile: dir + "/templates/note/sms.en.txt", atomically: true, encoding: .utf8)
        let text =
            try String(contentsOfFile: config, encoding: .utf8) + """

                [channels.sms]
                type = "outbox"
                kind = "sms"
                dir = "sms"
                """
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        return (dir, config, dir + "/data/outreach.db")
    }

    /// Before schema 5 an SMS STOP was stored as reason `unsubscribed` (detail "SMS reply STOP"),
    /// which transactional messages ignore. The upgrade must turn those rows into `stop`, or
    /// everyone who texted STOP before it still gets transactional SMS.
    @Test func reviewG_aStopRecordedBeforeTheUpgradeStillStopsTransactionalSMS() throws {
        let (dir, config, db) = try setUpWithSMS("rg-legacy-stop")
        // A database as the release before schema 5 left it, with the row exactly as its
        // API+Receipts wrote it; the first command below migrates it.
        try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
        do {
            let old = try SQLiteDatabase(path: db)
            try old.execute("CREATE TABLE schema_migrations(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")
            for (i, migration) in SQLiteSchema.migrations.prefix(4).enumerated() {
                try old.execute(migration)
                try old.execute("INSERT INTO schema_migrations VALUES(\(i + 1), 0)")
            }
            try old.execute(
                "INSERT INTO suppressions(address, reason, detail, created_at) VALUES('+4520000001', 'unsubscribed', 'SMS reply STOP', 0)"
            )
        }
        #expect(try o(config, ["lists", "create", "news"]).status == 0)
        #expect(try sql(db, "SELECT reason FROM suppressions WHERE address = '+4520000001'") == "stop")
        let r = try o(config, ["send", "note", "--to", "+4520000001", "--channel", "sms", "--queue-only"])
        #expect(r.status == 0, "\(r.stderr)")
        let state = try sql(db, "SELECT state FROM deliveries WHERE address = '+4520000001'")
        #expect(
            state == "suppressed", "a person who texted STOP before the upgrade is queued a transactional SMS: \(state)"
        )
    }

    /// A suppression never gets stronger: `INSERT … ON CONFLICT(address) DO NOTHING` keeps the first
    /// reason. Someone who unsubscribed from all lists (one-click on a list-less link: reason
    /// `unsubscribed`, which transactional mail ignores) and whose address then hard-bounces stays
    /// `unsubscribed`: every later transactional send is attempted again (a fresh 550 each time).
    /// The same holds for an SMS STOP after such an unsubscribe.
    @Test func reviewG_aHardBounceAfterAnUnsubscribeFromAllStopsTransactionalMail() throws {
        let smtp = try SMTPServer(rejectRecipients: ["gone@example.org": "550 5.1.1 No such user"])
        let dir = TestSupport.temporaryDirectory("rg-escalate")
        let config = dir + "/outreachd.conf"
        try """
        data_dir = "\(dir)/data"
        templates_dir = "\(TestSupport.packageRoot)/templates"
        [sender]
        from = "Outreach <news@example.org>"
        [channels.mail]
        type = "smtp"
        url = "smtp://127.0.0.1:\(smtp.port)"
        tls = "none"
        """.write(toFile: config, atomically: true, encoding: .utf8)
        let db = dir + "/data/outreach.db"
        #expect(try o(config, ["lists", "create", "news"]).status == 0)
        // What POST /unsubscribe/{token} writes for a token whose list is empty or gone.
        _ = try sql(
            db,
            "INSERT INTO suppressions(address, reason, detail, created_at) VALUES('gone@example.org', 'unsubscribed', 'one-click unsubscribe', 0)"
        )
        // A transactional mail is allowed; the relay answers 550: a hard bounce.
        _ = try o(config, ["send", "welcome", "--to", "gone@example.org", "--channel", "mail"])
        #expect(try sql(db, "SELECT state FROM deliveries ORDER BY id LIMIT 1") == "dead")
        let reason = try sql(db, "SELECT reason FROM suppressions WHERE address = 'gone@example.org'")
        #expect(reason == "bounce", "the hard bounce was not recorded (reason stays '\(reason)')")
        // The next transactional mail to the bouncing address must not be attempted.
        _ = try o(config, ["send", "welcome", "--to", "gone@example.org", "--channel", "mail", "--queue-only"])
        let second = try sql(db, "SELECT state FROM deliveries ORDER BY id DESC LIMIT 1")
        #expect(
            second == "suppressed", "a transactional mail is queued again to an address that hard-bounced: \(second)")
    }

    /// A paused campaign sends nothing until it is resumed. A delivery that was on the wire at the
    /// pause (its lease then expired: the worker crashed, or it failed transiently) is claimed
    /// again while the campaign is still paused: the claim-time check knows `cancelled` but not `paused`.
    @Test func reviewG_aPausedCampaignSendsNothingWhileStillPaused() throws {
        let (dir, config) = try CrashTests.setUp("rg-paused")
        let db = dir + "/data/outreach.db"
        #expect(try o(config, ["lists", "create", "news"]).status == 0)
        #expect(try o(config, ["lists", "subscribe", "news", "a@example.org", "b@example.org"]).status == 0)
        #expect(
            try o(config, ["campaigns", "create", "n1", "--template", "note", "--list", "news", "--channel", "outbox"])
                .status == 0)
        #expect(try o(config, ["campaigns", "start", "n1"]).status == 0)
        // b's delivery is on the wire (leased by a worker that then died) when the officer pauses.
        _ = try sql(
            db,
            """
            UPDATE deliveries SET state = 'sending', lease_owner = 'crashed-worker', lease_expires_at = 0, attempts = 1
            WHERE address = 'b@example.org'
            """)
        #expect(try o(config, ["campaigns", "pause", "n1"]).status == 0)
        #expect(try o(config, ["work", "--until-idle"]).status == 0)
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir + "/data/outbox")) ?? []).filter {
            $0.hasSuffix(".eml")
        }
        #expect(files.isEmpty, "sent while the campaign is paused: \(files)")
        let b = try sql(db, "SELECT state FROM deliveries WHERE address = 'b@example.org'")
        #expect(b != "sent", "b's delivery was sent during the pause")
    }

    /// `contacts add --list` on someone who unsubscribed is refused — but the contact was already
    /// rewritten in an earlier transaction, so the refused command changed the person's data.
    @Test func reviewG_aRefusedContactsAddChangesNothing() throws {
        let (_, config) = try CrashTests.setUp("rg-add")
        #expect(try o(config, ["lists", "create", "news"]).status == 0)
        #expect(
            try o(config, ["contacts", "add", "--email", "a@example.org", "--name", "Ann", "--list", "news"]).status
                == 0)
        #expect(try o(config, ["lists", "unsubscribe", "news", "a@example.org"]).status == 0)
        let r = try o(config, ["contacts", "add", "--email", "a@example.org", "--name", "Changed", "--list", "news"])
        #expect(r.status == 1, "\(r.stdout) \(r.stderr)")
        let shown = try JSON.parse(try o(config, ["contacts", "show", "a@example.org", "--json"]).stdout)
        #expect(shown["name"]?.stringValue == "Ann", "the refused command renamed the contact: \(shown)")
    }

    /// A delivery on the wire when the person is erased keeps contact_id NULL and address
    /// 'erased:ID'. If it comes back (lease expired, or a transient failure), the claim-time check
    /// lets it through — it only recognises erasure by a dangling contact_id — and a channel gets it:
    /// an SMS outbox writes "To: erased:1"; an email channel makes it `dead` instead of `cancelled (erased)`.
    @Test func reviewG_anErasedDeliveryThatComesBackIsCancelledNotSent() throws {
        let (dir, config, db) = try setUpWithSMS("rg-erase-inflight")
        #expect(
            try o(
                config,
                ["contacts", "add", "--email", "a@example.org", "--phone", "+4520000003", "--name", "Ann Secret"]
            ).status == 0)
        #expect(try o(config, ["send", "note", "--to", "+4520000003", "--channel", "sms", "--queue-only"]).status == 0)
        // On the wire when the erase runs: leased by a worker (that later dies or fails transiently).
        _ = try sql(
            db, "UPDATE deliveries SET state = 'sending', lease_owner = 'w', lease_expires_at = 0, attempts = 1")
        #expect(try o(config, ["contacts", "erase", "a@example.org"]).status == 0)
        #expect(try o(config, ["work", "--until-idle"]).status == 0)
        let row = try sql(db, "SELECT state || '/' || COALESCE(cancel_reason, '-') FROM deliveries")
        #expect(row == "cancelled/erased", "the erased person's delivery came back and ended \(row)")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir + "/data/sms")) ?? []
        #expect(files.filter { $0.hasSuffix(".txt") }.isEmpty, "handed to the channel after the erase: \(files)")
    }
}
