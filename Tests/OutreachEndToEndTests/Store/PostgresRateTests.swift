import Foundation
import Testing

@testable import Outreach

/// A channel's `rate` holds for the whole installation, not per node (issue 20, docs/scale-out.md
/// "Rate across nodes"): two `serve` nodes on one PostgreSQL share one pace.
@Suite(.postgresCluster, .serialized) struct PostgresRateTests {
    /// How many messages a node's `/metrics` says it sent on `mail`.
    static func sent(_ d: DaemonHarness) throws -> Int {
        let m = try d.send(["method": "GET", "path": "/metrics"]).body
        let line = m.split(separator: "\n").first { $0.hasPrefix(#"outreach_sent_total{channel="mail"}"#) }
        guard let line, let value = line.split(separator: " ").last, let n = Double(String(value)) else { return 0 }
        return Int(n)
    }

    /// 100 recipients at `rate = "10/s"` through two nodes: each is sent once, both nodes take part,
    /// and the arrivals span at least (100 - 20) / 10 = 8 s — the rate as one limit, allowing two
    /// seconds for the first batch's own latency (its slot starts the pace, its arrival the span):
    /// the shared pace gives about 9.6 s (25 batches of 4, 0.4 s apart); per-node pacing would let
    /// two nodes send twice as fast (about 5 s). Only a lower bound: a slow machine makes it longer.
    @Test func twoNodesKeepOneChannelsRateBetweenThem() throws {
        let smtp = DaemonSMTPCrashTests.SMTPPeer()
        try smtp.start(delay: 0)
        let db = try PostgresDaemonTests.database()
        let channel = db.storage + DaemonRestartTests.smtpChannel(smtp.port) + "\nrate = \"10/s\"\n"
        let a = try DaemonHarness(server: #"lease = "30s""#, channels: channel)
        let b = try DaemonHarness(server: #"lease = "30s""#, channels: channel)
        #expect(try a.cli(["storage", "migrate"]).status == 0)
        // Both running before the campaign, so both claim from its first batch on.
        try a.start()
        try b.start()
        let total = 100
        try DaemonRestartTests.startCampaign(a, total: total)
        try DaemonCrashTests.waitFor("the whole campaign", seconds: 120) { smtp.recipients.count >= total }
        try DaemonCrashTests.waitFor("every delivery recorded", seconds: 60) {
            (try JSON.parse(try a.cli(["campaigns", "status", "december", "--json"]).stdout))["sent"] == JSON(total)
        }
        #expect(smtp.recipients.sorted() == (0..<total).map { "m\($0)@example.org" }.sorted())
        let (sentA, sentB) = (try Self.sent(a), try Self.sent(b))
        #expect(sentA > 0 && sentB > 0 && sentA + sentB == total, "node A sent \(sentA), node B \(sentB)")
        let arrivals = smtp.arrivals
        #expect(arrivals.count == total)
        let span = (arrivals.max() ?? 0) - (arrivals.min() ?? 0)
        #expect(span >= 8.0, "\(total) messages at 10/s arrived within \(span) s")
        #expect(a.stop().status == 0)
        #expect(b.stop().status == 0)
    }
}
