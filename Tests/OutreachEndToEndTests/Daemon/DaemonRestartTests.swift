import Foundation
import Outreach
import Testing

/// A restart after SIGKILL resumes at once: the leases of the killed process (this host, a pid no
/// longer running) are ended on start instead of waiting out the 5-minute default lease.
@Suite(.serialized)
struct DaemonRestartTests {
    static let connections = 4

    static func smtpChannel(_ port: Int) -> String {
        """
        [channels.mail]
        type = "smtp"
        url = "smtp://127.0.0.1:\(port)"
        tls = "none"
        max_connections = \(connections)
        timeout = 10
        retry_base = "1s"
        retry_max = "2s"
        max_attempts = 1000
        """
    }

    /// A list of `total` members and a started campaign to them on `mail`.
    static func startCampaign(_ d: DaemonHarness, total: Int) throws {
        try createCampaign(d, total: total)
        #expect(try d.cli(["campaigns", "start", "december"]).status == 0)
    }

    /// A list `members` of `total` and a campaign `december` to them on `mail`, not started.
    static func createCampaign(_ d: DaemonHarness, total: Int) throws {
        let csv = d.dir + "/members.csv"
        try ("email,name\n" + (0..<total).map { "m\($0)@example.org,Member \($0)" }.joined(separator: "\n"))
            .write(toFile: csv, atomically: true, encoding: .utf8)
        #expect(try d.cli(["lists", "create", "members"]).status == 0)
        #expect(try d.cli(["contacts", "import", csv, "--list", "members"]).status == 0)
        let c = try d.cli([
            "campaigns", "create", "december", "--template", "newsletter", "--list", "members",
            "--channel", "mail",
        ])
        #expect(c.status == 0, "\(c.stderr)")
    }

    @Test func aDaemonRestartedAfterSIGKILLResumesItsInFlightDeliveriesWithinSeconds() throws {
        let smtp = DaemonSMTPCrashTests.SMTPPeer()
        try smtp.start(delay: 0.05)
        // The default lease (5 minutes): the point is not to wait for it.
        let d = try DaemonHarness(channels: Self.smtpChannel(smtp.port))
        let total = 600
        try Self.startCampaign(d, total: total)
        try d.start()
        try DaemonCrashTests.waitFor("a first part of the campaign", seconds: 120) { smtp.recipients.count >= 100 }
        #expect(!d.stop(SIGKILL).exited)
        #expect(Set(smtp.recipients).count < total, "the crash came after all the work; it proves nothing")
        #expect(
            (try d.queueCounts()["sending"]?.intValue ?? 0) > 0,
            "nothing was in flight at the crash; it proves nothing")

        try d.start()
        // Well under the 5-minute lease the killed process held: its in-flight deliveries were taken
        // back at start, not waited out. (It takes seconds; the margin is for a loaded machine.)
        try DaemonCrashTests.waitFor("every delivery recorded as sent well within the lease", seconds: 180) {
            try d.queueCounts()["sent"]?.intValue == total
        }
        let received = smtp.recipients
        let missing = Set((0..<total).map { "m\($0)@example.org" }).subtracting(received)
        #expect(missing.isEmpty, "\(missing.count) members never got the campaign")
        let duplicates = received.count - Set(received).count
        #expect(duplicates <= Self.connections, "\(duplicates) duplicates")
        #expect(d.log.contains("no longer running"), "the restart does not say it took leases back")
        #expect(d.stop().status == 0)
    }

    @Test func aWorkRunTakesOverTheDeliveriesOfAKilledWorkRun() throws {
        let smtp = DaemonSMTPCrashTests.SMTPPeer()
        try smtp.start(delay: 0.05)
        let d = try DaemonHarness(channels: Self.smtpChannel(smtp.port))
        let total = 300
        try Self.startCampaign(d, total: total)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: TestSupport.outreachd)
        p.arguments = ["--config", d.configPath, "work", "--until-idle"]
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        try DaemonCrashTests.waitFor("a first part of the campaign", seconds: 120) { smtp.recipients.count >= 20 }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(Set(smtp.recipients).count < total, "the crash came after all the work; it proves nothing")
        #expect(
            (try d.queueCounts()["sending"]?.intValue ?? 0) > 0,
            "nothing was in flight at the crash; it proves nothing")

        // The second run ends when nothing is due: without taking the killed run's leases over,
        // it would leave them `sending` for five minutes.
        let again = try d.cli(["work", "--until-idle"])
        #expect(again.status == 0, "\(again.stderr)")
        let counts = try d.queueCounts()
        #expect(counts["sent"]?.intValue == total, "\(counts)")
        let missing = Set((0..<total).map { "m\($0)@example.org" }).subtracting(smtp.recipients)
        #expect(missing.isEmpty, "\(missing.count) members never got the campaign")
    }
}
