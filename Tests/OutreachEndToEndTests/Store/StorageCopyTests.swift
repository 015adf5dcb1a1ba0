import Foundation
import Testing

@testable import Outreach

/// `outreachd storage copy` through the real binary (issue 20.5): a SQLite store built with the
/// CLI is copied into a fresh PostgreSQL database, which then shows the same contacts, lists,
/// campaign, event and queue; a second copy into it is refused and changes nothing; the copy back
/// into a new SQLite file has the same rows.
@Suite(.postgresCluster, .serialized) struct StorageCopyTests {
    @Test func aSQLiteStoreCopiedToPostgreSQLAndBackShowsTheSame() throws {
        let lite = try DaemonHarness()
        func ok(_ args: [String], _ d: DaemonHarness) throws -> String {
            let r = try d.cli(args)
            #expect(r.status == 0, "\(args): \(r.stderr)")
            return r.stdout
        }
        let csv = lite.dir + "/members.csv"
        try "email,name\nm0@example.org,Ann\nm1@example.org,Bo\nm2@example.org,Cy\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        _ = try ok(["lists", "create", "members"], lite)
        _ = try ok(["contacts", "import", csv, "--list", "members"], lite)
        _ = try ok(["lists", "unsubscribe", "members", "m2@example.org"], lite)
        _ = try ok(
            [
                "campaigns", "create", "december", "--template", "newsletter", "--list", "members", "--channel",
                "outbox",
            ], lite)
        _ = try ok(["campaigns", "start", "december"], lite)
        _ = try ok(
            [
                "events", "create", "launch", "--start", "2031-01-10 18:00", "--tz", "Europe/Rome", "--duration", "2h",
                "--list", "members", "--remind", "-1d",
            ], lite)
        // What the CLI alone does not make: a suppression, a bounce score (REAL), an idempotency
        // key with its hash (BLOB), a delivery leased by a node that is gone, a hook event delivered.
        let db = lite.dir + "/data/outreach.db"
        let seed = try TestSupport.run(
            "sqlite3",
            [
                db,
                """
                INSERT INTO suppressions VALUES('gone@example.org', 'bounce', '5.1.1', 1700000000000);
                INSERT INTO bounce_scores VALUES('gone@example.org', 0.75, 19000, 0.5, 1700000000000);
                UPDATE messages SET idempotency_key = 'order-1', request_hash = X'00ff10' WHERE id = 1;
                UPDATE deliveries SET state = 'sending', lease_owner = 'node-x', lease_expires_at = 1
                    WHERE id = (SELECT MAX(id) FROM deliveries);
                INSERT INTO hook_events(type, payload, created_at) VALUES('contact.subscribed', '{}', 1);
                DELETE FROM hook_events;
                """,
            ])
        #expect(seed.status == 0, "\(seed.stderr)")
        let queuedBefore = try JSON.parse(try ok(["queue", "status", "--json"], lite))

        let pg = try PostgresDaemonTests.database()
        let postgres = try DaemonHarness(
            channels: pg.storage + "[channels.outbox]\ntype = \"outbox\"\ndir = \"outbox\"")
        let url = try #require(
            pg.storage.split(separator: "\n").first { $0.hasPrefix("url") }?.split(separator: "\"")[1])
        // The target is migrated by the copy; the password comes from [storage] password_file.
        let copy = try postgres.cli(["storage", "copy", "--from", db, "--to", String(url), "--json"])
        #expect(copy.status == 0, "\(copy.stderr)")
        #expect(
            !copy.stdout.contains(PostgresDaemonTests.password) && !copy.stderr.contains(PostgresDaemonTests.password))
        let counts = try JSON.parse(copy.stdout)["tables"]
        #expect(counts?["contacts"]?["target"] == 3 && counts?["memberships"]?["target"] == 3)
        #expect(counts?["suppressions"]?["target"] == 1 && counts?["events"]?["target"] == 1)
        #expect((counts?["deliveries"]?["target"]?.intValue ?? 0) >= 2)

        for args in [
            ["contacts", "show", "m0@example.org"], ["contacts", "show", "m2@example.org"],
            ["lists", "show", "members"],
            ["campaigns", "show", "december"], ["events", "show", "launch"],
            ["suppressions", "show", "gone@example.org"],
        ] {
            let (a, b) = (try ok(args, postgres), try ok(args, lite))
            #expect(a == b, "\(args)\n\(a)\n---\n\(b)")
        }
        // The leased delivery is due again: one more queued, none sending.
        let queued = try JSON.parse(try ok(["queue", "status", "--json"], postgres))
        #expect(queued["sending"] == 0 && queuedBefore["sending"] == 1)
        #expect(queued["queued"]?.intValue == (queuedBefore["queued"]?.intValue ?? 0) + 1)
        #expect(queued["total"] == queuedBefore["total"])
        // New ids follow the copied ones (the sequences were set).
        _ = try ok(["contacts", "add", "--email", "new@example.org"], postgres)
        let added = try ok(["contacts", "show", "new@example.org"], postgres)
        #expect(added.contains("id:        4\n"), "\(added)")

        // Into a store that holds data: refused in one sentence, nothing changed.
        let again = try postgres.cli(["storage", "copy", "--from", db, "--to", String(url)])
        #expect(again.status == 1)
        #expect(
            again.stderr.contains("is not empty") && again.stderr.split(separator: "\n").count == 1, "\(again.stderr)")
        #expect(try JSON.parse(try ok(["queue", "status", "--json"], postgres)) == queued)

        // And back into a new SQLite file: the same rows as PostgreSQL has (with the added contact).
        let back = lite.dir + "/back.db"
        let reverse = try postgres.cli(["storage", "copy", "--from", String(url), "--to", back, "--json"])
        #expect(reverse.status == 0, "\(reverse.stderr)")
        let backCounts = try #require(JSON.parse(reverse.stdout)["tables"]?.objectValue)
        #expect(backCounts.count == counts?.objectValue?.count)
        for (table, c) in backCounts {
            #expect(c["source"] == c["target"], "\(table)")
            if table != "contacts" {
                #expect(c["target"] == counts?[table]?["target"], "\(table)")
            }
        }
        #expect(backCounts["contacts"]?["target"] == 4)
        // Bytes and reals made the round trip; the source was not changed (its lease is still there).
        let values = try TestSupport.run(
            "sqlite3",
            [
                back,
                "SELECT hex(request_hash) FROM messages WHERE idempotency_key = 'order-1';"
                    + "SELECT score FROM bounce_scores; SELECT count(*) FROM deliveries WHERE state = 'sending';"
                    + "SELECT seq FROM sqlite_sequence WHERE name = 'hook_events';",
            ])
        // The hook outbox's id 1, handed out and deleted in the source, is not handed out again.
        #expect(values.stdout == "00FF10\n0.75\n0\n1\n", "\(values.stdout) \(values.stderr)")
        #expect(try JSON.parse(try ok(["queue", "status", "--json"], lite)) == queuedBefore)
    }
}
