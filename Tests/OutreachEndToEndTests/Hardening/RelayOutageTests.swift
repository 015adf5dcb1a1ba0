import Foundation
import Outreach
import Testing

/// Issue 14.12: an outage of the relay is not a failure of every message. With a retry policy that
/// would kill every message within seconds, a relay down for longer than that loses none of a
/// campaign: the deliveries wait without spending attempts, one probe tests the relay, and the
/// whole channel resumes once it answers.
@Suite(.serialized)
struct RelayOutageTests {
    static func mailChannel(_ port: Int, extra: String = "") -> String {
        """
        [channels.mail]
        type = "smtp"
        url = "smtp://127.0.0.1:\(port)"
        tls = "none"
        timeout = 10
        retry_base = "1s"
        retry_max = "2s"
        max_attempts = 3
        \(extra)
        """
    }

    static func unreachableCount(_ d: DaemonHarness) throws -> Int {
        let m = try d.send(["method": "GET", "path": "/metrics"]).body
        let line = m.split(separator: "\n").first {
            $0.hasPrefix(#"outreach_failed_total{channel="mail",kind="unreachable"}"#)
        }
        guard let line, let value = line.split(separator: " ").last, let n = Double(String(value)) else { return 0 }
        return Int(n)
    }

    @Test func aCampaignWaitsOutARelayOutageAndLosesNothing() throws {
        let port = TestSupport.freePort()
        let d = try DaemonHarness(
            channels: Self.mailChannel(port), top: "[sender]\nfrom = \"Outreach <news@example.org>\"")
        let total = 300
        let csv = "email,name\n" + (0..<total).map { "p\($0)@example.org,P \($0)" }.joined(separator: "\n") + "\n"
        try csv.write(toFile: d.dir + "/people.csv", atomically: true, encoding: .utf8)
        #expect(try d.cli(["lists", "create", "news"]).status == 0)
        #expect(try d.cli(["contacts", "import", d.dir + "/people.csv", "--list", "news"]).status == 0)
        #expect(
            try d.cli(["campaigns", "create", "dec", "--template", "newsletter", "--list", "news", "--channel", "mail"])
                .status == 0)
        #expect(try d.cli(["campaigns", "start", "dec"]).status == 0)
        try d.start()

        // The relay is down (nothing listens): wait until the channel has been probed several times,
        // well past what three attempts with a 1-2 s backoff would survive.
        var first = 0
        try DaemonCrashTests.waitFor("a first batch that cannot reach the relay", seconds: 30) {
            first = try Self.unreachableCount(d)
            return first > 0
        }
        try DaemonCrashTests.waitFor("four failed probes of the relay", seconds: 60) {
            try Self.unreachableCount(d) >= first + 4
        }
        let health = try d.send(["method": "GET", "path": "/healthz"])
        #expect(health.status == 200)
        #expect(health.json?["channels_down"]?["mail"]?["since"] != nil, "\(health.body)")
        let metrics = try d.send(["method": "GET", "path": "/metrics"]).body
        #expect(metrics.contains(#"outreach_channel_up{channel="mail"} 0"#))
        let status = try JSON.parse(try d.cli(["queue", "status", "--json"]).stdout)
        #expect(status["channels_down"]?["mail"] != nil, "\(status)")
        #expect(status["dead"] == JSON(0), "\(status)")
        let probe = try d.cli(["check", "--probe"])
        #expect(
            probe.status == 1 && probe.stderr.contains("[channels.mail] cannot reach its endpoint"), "\(probe.stderr)")

        // The relay comes back on the same port.
        let smtp = try SMTPServer(port: port)
        try DaemonCrashTests.waitFor("all \(total) messages", seconds: 90) { smtp.messages().count >= total }
        let after = try JSON.parse(try d.cli(["campaigns", "status", "dec", "--json"]).stdout)
        #expect(after["sent"] == JSON(total) && after["dead"] == JSON(0), "\(after)")
        var recipients: [String] = []
        for i in 1...smtp.messages().count {
            recipients += smtp.envelope(i)?["rcpt_tos"]?.arrayValue?.compactMap(\.stringValue) ?? []
        }
        #expect(
            recipients.count == total && Set(recipients).count == total,
            "duplicates: \(recipients.count - Set(recipients).count)")
        let up = try d.send(["method": "GET", "path": "/metrics"]).body
        #expect(up.contains(#"outreach_channel_up{channel="mail"} 1"#))
        #expect(try d.cli(["check", "--probe"]).status == 0)
        d.stop()
    }
}
