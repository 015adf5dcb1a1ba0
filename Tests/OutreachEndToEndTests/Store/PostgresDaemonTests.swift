import Foundation
import Testing

@testable import Outreach

/// One outreachd node on PostgreSQL through the real binary (issue 20): `[storage] url` and
/// `password_file` to a throwaway cluster, `storage migrate`, `serve`, a campaign into aiosmtpd,
/// idempotent triggers, a SIGKILLed node that resumes, and the refusals (an unmigrated database,
/// a wrong password) as one sentence that never shows the password.
@Suite(.postgresCluster, .serialized) struct PostgresDaemonTests {
    static let role = "outreach_app"
    static let password = "Right-pw-41c7"

    /// A database owned by a role that must give its password (scram over TCP; the cluster
    /// trusts everyone else), and a `[storage]` section naming it with a `password_file`.
    static func database(password: String = password) throws -> (name: String, storage: String) {
        let cluster = try PostgresCluster.running()
        let admin = try PostgresConnection(cluster.url())
        let hba = cluster.dataDirectory + "/pg_hba.conf"
        let rules = try String(contentsOfFile: hba, encoding: .utf8)
        let line = "host all \(role) 127.0.0.1/32 scram-sha-256\n"
        if !rules.hasPrefix(line) {
            try (line + rules).write(toFile: hba, atomically: false, encoding: .utf8)
            try admin.execute("CREATE ROLE \(role) LOGIN PASSWORD '\(Self.password)'")
            try admin.execute("SELECT pg_reload_conf()")
        }
        let name = try cluster.createDatabase()
        try admin.execute("ALTER DATABASE \(name) OWNER TO \(role)")
        try PostgresConnection(cluster.url(name)).execute("ALTER SCHEMA public OWNER TO \(role)")
        let file = TestSupport.temporaryDirectory("pgpw") + "/db-password"
        try (password + "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let storage = """
            [storage]
            url = "postgresql://\(role)@127.0.0.1:\(cluster.port)/\(name)"
            password_file = "\(file)"

            """
        return (name, storage)
    }

    @Test func aNodeOnPostgreSQLSendsACampaignOnceAndAnIdempotentTriggerOnce() throws {
        let smtp = DaemonSMTPCrashTests.SMTPPeer()
        try smtp.start(delay: 0)
        let db = try Self.database()
        let d = try DaemonHarness(
            server: #"lease = "3s""#, channels: db.storage + DaemonRestartTests.smtpChannel(smtp.port))
        let migrate = try d.cli(["storage", "migrate"])
        #expect(migrate.status == 0, "\(migrate.stderr)")
        #expect(migrate.stdout.contains("PostgreSQL: migrated from schema version 0 to"), "\(migrate.stdout)")
        let again = try d.cli(["storage", "migrate"])
        #expect(again.stdout.contains("nothing to migrate"), "\(again.stdout)")

        let total = 50
        try DaemonRestartTests.startCampaign(d, total: total)

        try d.start()
        try DaemonCrashTests.waitFor("the whole campaign", seconds: 120) { smtp.recipients.count >= total }
        try DaemonCrashTests.waitFor("every delivery recorded", seconds: 60) {
            (try JSON.parse(try d.cli(["campaigns", "status", "december", "--json"]).stdout))["sent"] == JSON(total)
        }
        #expect(smtp.recipients.sorted() == (0..<total).map { "m\($0)@example.org" }.sorted())

        let body = #"{"template":"welcome","to":[{"email":"ana@example.org","name":"Ana"}]}"#
        let rs = try d.send([
            d.trigger(body, headers: ["Idempotency-Key": "order-1"]),
            d.trigger(body, headers: ["Idempotency-Key": "order-1"]),
        ])
        #expect(rs.map(\.status) == [202, 202])
        #expect(rs[1].json == rs[0].json && rs[1].headers["idempotent-replayed"] == "true")
        try DaemonCrashTests.waitFor("the triggered message", seconds: 60) {
            smtp.recipients.contains("ana@example.org")
        }
        let health = try d.send(["method": "GET", "path": "/healthz"])
        #expect(health.status == 200, "\(health.body)")
        #expect(d.stop().status == 0)
        #expect(smtp.recipients.filter { $0 == "ana@example.org" }.count == 1)
        #expect(try d.queueCounts()["total"]?.intValue == total + 1)
        #expect(!d.log.contains(Self.password))
    }

    /// SIGKILLed midway through a campaign into a slow server, the node started again takes the
    /// dead process's leases back and finishes: everyone gets the message, repeats at most what
    /// was on the wire (one message per connection).
    @Test func aNodeKilledMidCampaignResumesItsPendingWork() throws {
        let smtp = DaemonSMTPCrashTests.SMTPPeer()
        try smtp.start(delay: 0.1)
        let db = try Self.database()
        let d = try DaemonHarness(
            server: #"lease = "3s""#, channels: db.storage + DaemonRestartTests.smtpChannel(smtp.port))
        #expect(try d.cli(["storage", "migrate"]).status == 0)
        let total = 200
        try DaemonRestartTests.startCampaign(d, total: total)
        try d.start()
        try DaemonCrashTests.waitFor("a first part of the campaign", seconds: 120) { smtp.recipients.count >= 20 }
        #expect(!d.stop(SIGKILL).exited)
        #expect(Set(smtp.recipients).count < total, "the kill came after all the work; it proves nothing")
        try d.start()
        try DaemonCrashTests.waitFor("the whole campaign", seconds: 180) { Set(smtp.recipients).count >= total }
        try DaemonCrashTests.waitFor("every delivery recorded", seconds: 60) {
            (try JSON.parse(try d.cli(["campaigns", "status", "december", "--json"]).stdout))["sent"] == JSON(total)
        }
        let received = smtp.recipients
        #expect(Set(received) == Set((0..<total).map { "m\($0)@example.org" }))
        let repeats = received.count - Set(received).count
        #expect(repeats <= DaemonRestartTests.connections, "\(repeats) repeats")
        #expect(d.stop().status == 0)
    }

    /// A socket URL (`?host=DIR`) selects PostgreSQL as well.
    @Test func aSocketURLSelectsPostgreSQLToo() throws {
        let cluster = try PostgresCluster.running()
        let name = try cluster.createDatabase()
        let storage = """
            [storage]
            url = "postgresql://postgres@/\(name)?host=\(cluster.directory)&port=\(cluster.port)"

            """
        let d = try DaemonHarness(channels: storage + "[channels.outbox]\ntype = \"outbox\"\ndir = \"outbox\"")
        let migrate = try d.cli(["storage", "migrate"])
        #expect(migrate.stdout.hasPrefix("PostgreSQL: migrated from schema version 0"), "\(migrate.stderr)")
        #expect(try d.cli(["lists", "create", "club"]).status == 0)
        let conn = try PostgresConnection(cluster.url(name))
        #expect(try conn.rows("SELECT name FROM lists") { $0.text(0) } == ["club"])
    }

    /// Nodes do not migrate at start: a database without the schema is refused by `serve` and the
    /// other commands with a sentence saying to run `outreachd storage migrate`.
    @Test func anUnmigratedDatabaseIsRefusedWithTheSentence() throws {
        let db = try Self.database()
        let d = try DaemonHarness(channels: db.storage + "[channels.outbox]\ntype = \"outbox\"\ndir = \"outbox\"")
        let sentence = "run `outreachd storage migrate` first"
        let list = try d.cli(["lists", "list"])
        #expect(list.status == 1 && list.stderr.contains(sentence), "\(list.stderr)")
        #expect(list.stderr.split(separator: "\n").count == 1)
        let serve = try TestSupport.run("timeout", ["20", TestSupport.outreachd, "--config", d.configPath, "serve"])
        #expect(serve.status != 0 && serve.status != 124, "\(serve.status)")
        #expect(serve.stderr.contains(sentence), "\(serve.stderr)")
        let conn = try PostgresConnection(try PostgresCluster.running().url(db.name))
        #expect(try conn.rows("SELECT to_regclass('contacts') IS NULL") { try $0.bool(0) } == [true])
    }

    /// A wrong password in `password_file`: one sentence naming the failure, never the password
    /// (the wrong one, nor the right one), from `storage migrate`, a command and `serve`.
    @Test func aWrongPasswordIsOneSentenceWithoutThePassword() throws {
        let wrong = "Wrong-pw-93ab"
        let db = try Self.database(password: wrong)
        let d = try DaemonHarness(channels: db.storage + "[channels.outbox]\ntype = \"outbox\"\ndir = \"outbox\"")
        for args in [["storage", "migrate"], ["queue", "status"]] {
            let r = try d.cli(args)
            #expect(r.status == 1, "\(args): \(r.stderr)")
            #expect(r.stderr.contains("password authentication failed"), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
            #expect(!r.stderr.contains(wrong) && !r.stdout.contains(wrong))
        }
        let serve = try TestSupport.run("timeout", ["20", TestSupport.outreachd, "--config", d.configPath, "serve"])
        #expect(serve.status != 0 && serve.status != 124)
        #expect(serve.stderr.contains("password authentication failed"), "\(serve.stderr)")
        #expect(!serve.stderr.contains(wrong) && !serve.stdout.contains(wrong))
    }

    /// `/healthz` asks the database: 200 while it answers, 503 `unreachable` while the server is
    /// down (and a trigger gets 503 with `Retry-After`, nothing of it kept), and 200 again once it
    /// is back — the node connects again by itself, and a trigger accepted after is sent.
    @Test func healthzFollowsTheDatabaseAndTheNodeReconnects() throws {
        let cluster = try PostgresCluster.running()
        let db = try Self.database()
        let d = try DaemonHarness(channels: db.storage + "[channels.outbox]\ntype = \"outbox\"\ndir = \"outbox\"")
        #expect(try d.cli(["storage", "migrate"]).status == 0)
        try d.start()
        func health() throws -> DaemonHarness.Response { try d.send(["method": "GET", "path": "/healthz"]) }
        #expect(try health().status == 200)
        try cluster.stopServer()
        var down: DaemonHarness.Response?
        var refused: DaemonHarness.Response?
        let body = #"{"template":"welcome","to":[{"email":"after@example.org"}]}"#
        do {
            defer { try? cluster.startServer() }
            try DaemonCrashTests.waitFor("/healthz to report the database down", seconds: 60) {
                let h = try health()
                if h.status == 503 { down = h }
                return h.status == 503
            }
            refused = try d.send(d.trigger(#"{"template":"welcome","to":[{"email":"lost@example.org"}]}"#))
        }
        #expect(refused?.status == 503, "\(refused?.body ?? "")")
        #expect(refused?.headers["retry-after"] == "30")
        #expect(refused?.error.contains("the database cannot be reached") == true, "\(refused?.body ?? "")")
        #expect(down?.json?["status"] == "unreachable", "\(down?.body ?? "")")
        #expect(down?.error.contains("PostgreSQL") == true && !(down?.body.contains(Self.password) ?? true))
        try DaemonCrashTests.waitFor("/healthz to report the database back", seconds: 60) {
            try health().status == 200
        }
        try DaemonCrashTests.waitFor("a trigger accepted again", seconds: 30) {
            try d.send(d.trigger(body)).status == 202
        }
        try DaemonCrashTests.waitFor("the trigger sent", seconds: 30) {
            (try d.queueCounts()["sent"]?.intValue ?? 0) >= 1
        }
        #expect(try d.queueCounts()["total"]?.intValue == 1, "the refused trigger left nothing")
        #expect(d.stop().status == 0)
    }
}
