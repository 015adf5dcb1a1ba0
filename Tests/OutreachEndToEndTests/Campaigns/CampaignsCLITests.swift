import Foundation
import Testing

@testable import Outreach

/// Issue 19: campaigns as an officer runs them — segments with defined rules, a campaign that
/// finishes, a send time in the past — through the real binary and its SQLite file.
@Suite struct CampaignsCLITests {
    func o(_ config: String, _ a: [String]) throws -> TestSupport.ProcessResult {
        try TestSupport.outreachd(["--config", config] + a)
    }

    func json(_ config: String, _ a: [String]) throws -> JSON {
        let r = try o(config, a + ["--json"])
        #expect(r.status == 0, "\(a): \(r.stderr)")
        return (try? JSON.parse(r.stdout)) ?? .null
    }

    /// Five people on `news` (country written in either case, one without a language), one of them
    /// also on `staff`.
    func setUpPeople(_ label: String) throws -> (dir: String, config: String) {
        let (dir, config) = try CrashTests.setUp(label)
        try """
        email,name,locale,country,role
        anna@example.de,Anna,de,DE,mentor
        bernd@example.at,Bernd,de-AT,de,mentee
        sven@example.se,Sven,sv,SE,mentor
        dorte@example.dk,Dorte,da,DK,mentor
        enzo@example.it,Enzo,,IT,mentee
        """.write(toFile: dir + "/people.csv", atomically: true, encoding: .utf8)
        #expect(try o(config, ["lists", "create", "news"]).status == 0)
        #expect(try o(config, ["lists", "create", "staff"]).status == 0)
        #expect(try o(config, ["contacts", "import", dir + "/people.csv", "--list", "news"]).status == 0)
        #expect(try o(config, ["lists", "subscribe", "staff", "dorte@example.dk"]).status == 0)
        return (dir, config)
    }

    /// Creates and starts a campaign to `news` with the conditions given; the addresses queued.
    func reached(_ config: String, _ name: String, _ conditions: [String]) throws -> [String] {
        let c = try o(
            config,
            ["campaigns", "create", name, "--template", "note", "--list", "news", "--channel", "outbox"]
                + conditions.flatMap { ["--where", $0] })
        #expect(c.status == 0, "\(conditions): \(c.stderr)")
        let s = try o(config, ["campaigns", "start", name])
        #expect(s.status == 0, "\(conditions): \(s.stderr)")
        let message = try CrashTests.count(
            dir(config) + "/data/outreach.db", "SELECT message_id FROM campaigns WHERE name = '\(name)'")
        let queued = try json(config, ["queue", "list", "--message", String(message), "--limit", "1000"])
        return (queued.arrayValue ?? []).compactMap { $0["address"]?.stringValue }.sorted()
    }

    func dir(_ config: String) -> String { (config as NSString).deletingLastPathComponent }

    /// Issue 19.2: the same key twice is OR, different keys AND, `!=` excludes, country and locale
    /// ignore case (and `locale=de` is every German), `list` is another list's membership.
    @Test func segmentRulesAreTheDocumentedOnes() throws {
        let (_, config) = try setUpPeople("segment-rules")
        // Before: the second country replaced the first, and "de" (lower case) matched nothing.
        #expect(
            try reached(config, "either", ["country=DE", "country=SE"])
                == ["anna@example.de", "bernd@example.at", "sven@example.se"])
        // Before: locale was looked for among the attributes, and matched nobody.
        #expect(try reached(config, "german", ["locale=de"]) == ["anna@example.de", "bernd@example.at"])
        #expect(try reached(config, "both", ["country=de", "role=mentor"]) == ["anna@example.de"])
        // Before: "country!" was taken for an attribute's name.
        #expect(
            try reached(config, "others", ["country!=DE", "list!=staff"]) == ["enzo@example.it", "sven@example.se"])
        #expect(try reached(config, "no-germans", ["locale!=DE"]).count == 3)
        let status = try json(config, ["campaigns", "status", "either"])
        #expect(status["where"] == ["country=DE", "country=SE"], "\(status)")
    }

    /// Issue 19.2: a key that is neither built-in nor an attribute is refused naming the closest;
    /// so is a list that does not exist.
    @Test func aMistypedKeyIsRefusedNamingTheClosest() throws {
        let (dir, config) = try setUpPeople("segment-typo")
        let typo = try o(
            config,
            [
                "campaigns", "create", "x", "--template", "note", "--list", "news", "--channel", "outbox", "--where",
                "contry=DE",
            ])
        #expect(typo.status == 1)
        #expect(
            typo.stderr.contains("no field or contact attribute 'contry'; did you mean 'country'?"), "\(typo.stderr)")
        let attribute = try o(
            config,
            [
                "campaigns", "create", "x", "--template", "note", "--list", "news", "--channel", "outbox", "--where",
                "rol=mentor",
            ])
        #expect(attribute.status == 1 && attribute.stderr.contains("did you mean 'role'?"), "\(attribute.stderr)")
        let list = try o(
            config,
            [
                "campaigns", "create", "x", "--template", "note", "--list", "news", "--channel", "outbox", "--where",
                "list=staf",
            ])
        #expect(
            list.status == 1 && list.stderr.contains("no list named 'staf'; did you mean 'staff'?"), "\(list.stderr)")
        #expect(try CrashTests.count(dir + "/data/outreach.db", "SELECT COUNT(*) FROM campaigns") == 0)
    }

    /// Issue 19.2: a start that reaches nobody is refused with the reason; the campaign stays a
    /// draft, and starts once someone matches.
    @Test func aStartThatReachesNobodyIsRefusedAndTheCampaignStaysADraft() throws {
        let (dir, config) = try setUpPeople("segment-nobody")
        #expect(
            try o(
                config,
                [
                    "campaigns", "create", "chairs", "--template", "note", "--list", "news", "--channel", "outbox",
                    "--where", "role=mentee", "--where", "country=SE",
                ]
            ).status == 0)
        let start = try o(config, ["campaigns", "start", "chairs"])
        #expect(start.status == 1)
        #expect(
            start.stderr.contains(
                "reaches nobody: none of the 5 subscribed members of 'news' match --where country=SE --where role=mentee"
            ),
            "\(start.stderr)")
        #expect(start.stderr.contains("still a draft"), "\(start.stderr)")
        #expect(try json(config, ["campaigns", "status", "chairs"])["state"] == "draft")
        #expect(try CrashTests.count(dir + "/data/outreach.db", "SELECT COUNT(*) FROM deliveries") == 0)
        #expect(
            try o(
                config,
                [
                    "contacts", "add", "--email", "stina@example.se", "--attr", "role=mentee", "--attr",
                    "country=se", "--list", "news",
                ]
            ).status == 0)
        let again = try o(config, ["campaigns", "start", "chairs", "--json"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try JSON.parse(again.stdout)["queued"] == JSON(1))
        // An empty list says so.
        #expect(try o(config, ["lists", "create", "empty"]).status == 0)
        #expect(
            try o(
                config, ["campaigns", "create", "void", "--template", "note", "--list", "empty", "--channel", "outbox"]
            )
            .status == 0)
        let void = try o(config, ["campaigns", "start", "void"])
        #expect(
            void.status == 1 && void.stderr.contains("the list 'empty' has no subscribed members"), "\(void.stderr)")
    }

    /// Issue 19.4: once nothing is pending the campaign is `finished`, with its counts; `campaigns
    /// list` shows it, by state.
    @Test func aCampaignFinishesAndIsListedByState() throws {
        let (_, config) = try setUpPeople("finish")
        #expect(
            try o(
                config, ["campaigns", "create", "dec", "--template", "note", "--list", "news", "--channel", "outbox"]
            )
            .status == 0)
        #expect(
            try o(
                config, ["campaigns", "create", "jan", "--template", "note", "--list", "news", "--channel", "outbox"]
            )
            .status == 0)
        #expect(try o(config, ["campaigns", "start", "dec"]).status == 0)
        #expect(try json(config, ["campaigns", "status", "dec"])["state"] == "running")
        #expect(try o(config, ["lists", "unsubscribe", "news", "enzo@example.it"]).status == 0)
        #expect(try o(config, ["work", "--until-idle"]).status == 0)
        let s = try json(config, ["campaigns", "status", "dec"])
        #expect(s["state"] == "finished", "\(s)")
        #expect(s["sent"] == JSON(4) && s["cancelled"] == JSON(1) && s["pending"] == JSON(0), "\(s)")
        let text = try o(config, ["campaigns", "status", "dec"])
        #expect(text.stdout.contains("dec: finished"), "\(text.stdout)")
        #expect(text.stdout.contains("Finished: 4 sent, 0 failed, 0 dead, 1 cancelled."), "\(text.stdout)")
        let finished = try o(config, ["campaigns", "list", "--state", "finished"])
        #expect(finished.status == 0, "\(finished.stderr)")
        #expect(finished.stdout == "dec\tfinished\tnews\toutbox\t4/5 sent\t-\n", "\(finished.stdout)")
        let all = try json(config, ["campaigns", "list"]).arrayValue ?? []
        #expect(all.map { $0["name"] } == ["dec", "jan"] && all.map { $0["state"] } == ["finished", "draft"])
        #expect(try o(config, ["campaigns", "list", "--state", "done"]).status == 2)
        let pause = try o(config, ["campaigns", "pause", "dec"])
        #expect(pause.status == 1 && pause.stderr.contains("has finished"), "\(pause.stderr)")
    }

    /// Issue 19.4: `--at` in the past is refused, unless `--now` (then it is sent at once).
    @Test func aSendTimeInThePastIsRefusedUnlessNow() throws {
        let (_, config) = try setUpPeople("past")
        let create = ["campaigns", "create", "late", "--template", "note", "--list", "news", "--channel", "outbox"]
        let past = try o(config, create + ["--at", "2020-12-01 09:00"])
        #expect(past.status == 1)
        #expect(
            past.stderr == "outreachd: 2020-12-01 09:00 is in the past; use --now to send at once.\n", "\(past.stderr)")
        #expect(try o(config, ["campaigns", "status", "late"]).status == 1)
        let now = try o(config, create + ["--at", "2020-12-01 09:00", "--now"])
        #expect(now.status == 0, "\(now.stderr)")
        #expect(try o(config, ["campaigns", "start", "late"]).status == 0)
        #expect(try json(config, ["campaigns", "status", "late"])["state"] == "running")
        #expect(try o(config, ["work", "--until-idle"]).status == 0)
        #expect(try json(config, ["campaigns", "status", "late"])["sent"] == JSON(5))
    }

    /// Issue 19.10: `contacts export --json`, `campaigns --help`, and `send` saying why nothing was sent.
    @Test func smallThingsFoundOnTheWay() throws {
        let (dir, config) = try setUpPeople("small")
        let export = try o(config, ["contacts", "export", "anna@example.de", "--json"])
        #expect(export.status == 0, "\(export.stderr)")
        #expect(try JSON.parse(export.stdout)["contact"]?["email"] == "anna@example.de")
        let help = try o(config, ["campaigns", "--help"])
        #expect(help.status == 0, "\(help.stderr)")
        #expect(help.stdout.contains("campaigns create") && help.stdout.contains("campaigns list"), "\(help.stdout)")
        #expect(try o(config, ["campaigns"]).status == 2)
        let suppress = try TestSupport.run(
            "sqlite3",
            [
                dir + "/data/outreach.db",
                "INSERT INTO suppressions(address, reason, created_at) VALUES('gone@example.org', 'bounce', 0)",
            ])
        #expect(suppress.status == 0, "\(suppress.stderr)")
        let send = try o(config, ["send", "note", "--to", "gone@example.org"])
        #expect(send.status == 1, "\(send.stdout)")
        #expect(
            send.stderr == "outreachd: Nothing was sent: gone@example.org is on the suppression list (bounce).\n",
            "\(send.stderr)")
        let ok = try o(config, ["send", "note", "--to", "gone@example.org", "--to", "anna@example.de"])
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    /// A campaign stored before schema 8 held its conditions as `{"key": "value"}`: after the
    /// upgrade it starts with the same condition, now a segment.
    @Test func aCampaignStoredBeforeSegmentsKeepsItsCondition() throws {
        let (dir, config) = try CrashTests.setUp("segment-upgrade")
        try FileManager.default.createDirectory(atPath: dir + "/data", withIntermediateDirectories: true)
        do {
            let old = try SQLiteDatabase(path: dir + "/data/outreach.db")
            try old.execute("CREATE TABLE schema_migrations(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")
            for (i, migration) in SQLiteSchema.migrations.prefix(7).enumerated() {
                try old.execute(migration)
                try old.execute("INSERT INTO schema_migrations VALUES(\(i + 1), 0)")
            }
            try old.execute(
                """
                INSERT INTO lists(id, name, created_at) VALUES(1, 'news', 0);
                INSERT INTO contacts(id, email, attributes, created_at, updated_at) VALUES
                    (1, 'a@example.org', '{"role":"mentor"}', 0, 0), (2, 'b@example.org', '{"role":"mentee"}', 0, 0);
                INSERT INTO memberships(list_id, contact_id, state, consent_source, updated_at) VALUES
                    (1, 1, 'subscribed', 'cli', 0), (1, 2, 'subscribed', 'cli', 0);
                INSERT INTO messages(id, template, kind, list_name, campaign_id, created_at) VALUES(1, 'note', 'list', 'news', 1, 0);
                INSERT INTO campaigns(id, name, message_id, list_name, channels, filters, state, created_at) VALUES
                    (1, 'old', 1, 'news', '[{"name":"outbox","address":"email"}]', '{"role":"mentor"}', 'draft', 0);
                """)
        }
        let status = try json(config, ["campaigns", "status", "old"])
        #expect(status["where"] == ["role=mentor"], "\(status)")
        #expect(try json(config, ["campaigns", "start", "old"])["queued"] == JSON(1))
        #expect(
            try CrashTests.count(dir + "/data/outreach.db", "SELECT COUNT(*) FROM campaigns WHERE filters LIKE '[%'")
                == 1)
    }
}
