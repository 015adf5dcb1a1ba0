import Foundation
import Outreach
import Testing

/// A campaign being sent by the daemon when the daemon is SIGKILLed: after a restart it finishes,
/// and no one is missed.
@Suite(.serialized)
struct DaemonCampaignCrashTests {
    @Test func aDaemonKilledMidCampaignFinishesItAfterRestart() throws {
        let smtp = DaemonSMTPCrashTests.SMTPPeer()
        try smtp.start(delay: 0.01)
        let connections = DaemonSMTPCrashTests.connections
        let d = try DaemonHarness(
            server: #"lease = "3s""#,
            channels: """
                [channels.mail]
                type = "smtp"
                url = "smtp://127.0.0.1:\(smtp.port)"
                tls = "none"
                max_connections = \(connections)
                timeout = 10
                retry_base = "1s"
                retry_max = "2s"
                max_attempts = 1000
                """)
        let total = 2000
        let csv = d.dir + "/members.csv"
        try
            ("email,name,locale\n"
            + (0..<total).map { "m\($0)@example.org,Member \($0),\(["en", "da", "sv"][$0 % 3])" }.joined(
                separator: "\n"))
            .write(toFile: csv, atomically: true, encoding: .utf8)
        func o(_ a: [String]) throws -> TestSupport.ProcessResult {
            try TestSupport.outreachd(["--config", d.configPath] + a)
        }
        #expect(try o(["lists", "create", "members"]).status == 0)
        #expect(try o(["contacts", "import", csv, "--list", "members"]).status == 0)
        let c = try o([
            "campaigns", "create", "december", "--template", "newsletter", "--list", "members", "--channel", "mail",
        ])
        #expect(c.status == 0, "\(c.stderr)")
        #expect(try o(["campaigns", "start", "december"]).status == 0)

        try d.start()
        try DaemonCrashTests.waitFor("a first part of the campaign", seconds: 180) { smtp.recipients.count >= 400 }
        #expect(!d.stop(SIGKILL).exited)
        #expect(Set(smtp.recipients).count < total, "the crash came after all the work; it proves nothing")

        try d.start()
        try DaemonCrashTests.waitFor("the whole campaign", seconds: 300) { Set(smtp.recipients).count >= total }
        try DaemonCrashTests.waitFor("every delivery recorded", seconds: 60) {
            (try JSON.parse(try o(["campaigns", "status", "december", "--json"]).stdout))["sent"] == JSON(total)
        }
        let received = smtp.recipients
        #expect(Set(received) == Set((0..<total).map { "m\($0)@example.org" }))
        #expect(
            received.count - Set(received).count <= connections, "\(received.count - Set(received).count) duplicates")
        #expect(d.stop().status == 0)
    }
}
