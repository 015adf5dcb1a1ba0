import Foundation
import Testing

@testable import Outreach

/// Wake-ups on PostgreSQL (issue 20, docs/scale-out.md "Wake-ups"), through the real binary on a
/// throwaway cluster: a `serve` node told to poll only every minute still sends, within seconds,
/// what a separate CLI process queued — only a notification can have woken it — and goes on
/// doing so after the server restarts; with `notify = false` polling alone delivers.
@Suite(.postgresCluster, .serialized) struct PostgresWakeupTests {
    /// A node on a fresh database with `[storage]` `extra` keys, sending into `smtp`; migrated, a
    /// list `members` of `total` imported and a campaign `december` to it created, not started.
    static func node(_ extra: String, smtp: DaemonSMTPCrashTests.SMTPPeer, total: Int = 5) throws -> DaemonHarness {
        let db = try PostgresDaemonTests.database()
        let storage = db.storage.replacingOccurrences(of: "[storage]\n", with: "[storage]\n" + extra + "\n")
        let d = try DaemonHarness(channels: storage + DaemonRestartTests.smtpChannel(smtp.port))
        #expect(try d.cli(["storage", "migrate"]).status == 0)
        try DaemonRestartTests.createCampaign(d, total: total)
        return d
    }

    /// Queues one message to `to` through the CLI, a process apart from the node (not sent by it).
    static func queue(_ d: DaemonHarness, to: String) throws {
        let r = try d.cli(["send", "newsletter", "--to", to, "--channel", "mail", "--queue-only"])
        #expect(r.status == 0, "\(r.stderr)")
    }

    /// `poll = "60s"`: the node, idle, hears of a campaign started by `campaigns start` and of a
    /// message queued by `send --queue-only` at once. Without the listener it would sleep a minute
    /// (this test failed so, 20 s passing with nothing sent, before the listener was wired in).
    @Test func anIdleNodeIsWokenByWorkAnotherProcessQueued() throws {
        let smtp = DaemonSMTPCrashTests.SMTPPeer()
        try smtp.start(delay: 0)
        let total = 5
        let d = try Self.node(#"poll = "60s""#, smtp: smtp, total: total)
        try d.start()
        #expect(try d.cli(["campaigns", "start", "december"]).status == 0)
        try DaemonCrashTests.waitFor("the campaign, woken by a notification", seconds: 20) {
            smtp.recipients.count >= total
        }
        try Self.queue(d, to: "solo@example.org")
        try DaemonCrashTests.waitFor("the queued message, woken by a notification", seconds: 20) {
            smtp.recipients.contains("solo@example.org")
        }
        #expect(d.stop().status == 0)
        #expect(smtp.recipients.sorted() == ((0..<total).map { "m\($0)@example.org" } + ["solo@example.org"]).sorted())
        #expect(!d.log.contains(PostgresDaemonTests.password))
    }

    /// `notify = false` (PgBouncer in transaction mode): no LISTEN, the loops poll every second,
    /// and what another process queued is sent all the same.
    @Test func withoutNotificationsPollingAloneDelivers() throws {
        let smtp = DaemonSMTPCrashTests.SMTPPeer()
        try smtp.start(delay: 0)
        let d = try Self.node("poll = \"1s\"\nnotify = false", smtp: smtp)
        try d.start()
        #expect(try d.cli(["campaigns", "start", "december"]).status == 0)
        try DaemonCrashTests.waitFor("the campaign, found by polling", seconds: 20) { smtp.recipients.count >= 5 }
        #expect(d.stop().status == 0)
        #expect(!d.log.contains("work notifications"), "\(d.log)")
    }

    /// The server restarted under the node: the listener's session is lost, made again (with a
    /// pause), and the node, polling only every minute, is still woken by work queued after.
    @Test func theListenerSurvivesAServerRestart() throws {
        let cluster = try PostgresCluster.running()
        let smtp = DaemonSMTPCrashTests.SMTPPeer()
        try smtp.start(delay: 0)
        let d = try Self.node(#"poll = "60s""#, smtp: smtp)
        try d.start()
        try Self.queue(d, to: "before@example.org")
        try DaemonCrashTests.waitFor("a message before the restart", seconds: 20) {
            smtp.recipients.contains("before@example.org")
        }
        try cluster.stopServer()
        try cluster.startServer()
        try DaemonCrashTests.waitFor("the listener to listen again", seconds: 60) {
            d.log.contains("work notifications: listening again")
        }
        try Self.queue(d, to: "after@example.org")
        try DaemonCrashTests.waitFor("a message queued after the restart, woken by a notification", seconds: 20) {
            smtp.recipients.contains("after@example.org")
        }
        #expect(d.stop().status == 0)
        #expect(smtp.recipients.filter { $0 == "after@example.org" }.count == 1)
    }

    /// Two nodes on one database, both polling only every minute. Node A leases a whole slow
    /// campaign in one batch; node B, started then, finds nothing to claim and sleeps. A is
    /// stopped (SIGTERM, `drain_timeout = "1s"`) and gives its leases back: that update notifies,
    /// and B, woken, sends what A did not within seconds (more than A could have had on the wire
    /// as it died: one message per connection).
    @Test func leasesGivenBackByOneNodeWakeAnother() throws {
        let smtp = DaemonSMTPCrashTests.SMTPPeer()
        try smtp.start(delay: 0.5)
        let total = 40
        let db = try PostgresDaemonTests.database()
        let storage = db.storage.replacingOccurrences(of: "[storage]\n", with: "[storage]\npoll = \"60s\"\n")
        let channel = storage + DaemonRestartTests.smtpChannel(smtp.port) + "\nbatch_size = 100\n"
        let a = try DaemonHarness(server: #"drain_timeout = "1s""#, channels: channel)
        let b = try DaemonHarness(channels: channel)
        #expect(try a.cli(["storage", "migrate"]).status == 0)
        try DaemonRestartTests.createCampaign(a, total: total)
        try a.start()
        #expect(try a.cli(["campaigns", "start", "december"]).status == 0)
        try DaemonCrashTests.waitFor("node A sending", seconds: 20) { !smtp.recipients.isEmpty }
        try b.start()
        a.stop()
        #expect(a.log.contains("gave back"), "\(a.log)")
        let byA = Set(smtp.recipients).count
        #expect(byA + DaemonRestartTests.connections < total, "node A sent nearly all before it stopped")
        try DaemonCrashTests.waitFor("node B, woken, sending", seconds: 20) {
            Set(smtp.recipients).count > byA + DaemonRestartTests.connections
        }
        try DaemonCrashTests.waitFor("the whole campaign", seconds: 120) { Set(smtp.recipients).count >= total }
        #expect(b.stop().status == 0)
        #expect(Set(smtp.recipients) == Set((0..<total).map { "m\($0)@example.org" }))
    }
}
