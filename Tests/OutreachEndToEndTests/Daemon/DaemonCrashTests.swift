import Foundation
import Outreach
import Testing

/// Durability end to end: a slow HTTP peer (Tests/peers/daemon_recorder.py, which logs the
/// `webhook-id` = delivery id of every request it answers), the daemon's webhook channel, and
/// the daemon killed with SIGKILL mid-way or its peer down for a while.
@Suite(.serialized)
struct DaemonCrashTests {
    static let connections = 4

    final class Peer {
        let port: Int
        let log: String
        var process: Process?
        init(port: Int, log: String) {
            self.port = port
            self.log = log
        }

        func start(delay: Double) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = [
                "python3", TestSupport.packageRoot + "/Tests/peers/daemon_recorder.py", String(port), log,
                String(delay),
            ]
            let out = Pipe()
            p.standardOutput = out
            try p.run()
            process = p
            try TestSupport.readReadyLine("the webhook peer (Tests/peers/daemon_recorder.py)", from: out, process: p)
        }

        func stop() {
            // SIGKILL: a child started from a test thread inherits that thread's blocked SIGTERM.
            if let p = process { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
            process = nil
        }

        deinit { stop() }

        /// Every delivery id received, in order, repeats included.
        var received: [String] {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
    }

    static func harness(peerPort: Int) throws -> DaemonHarness {
        let templates = TestSupport.temporaryDirectory("tpl")
        try FileManager.default.createDirectory(atPath: templates + "/ping", withIntermediateDirectories: true)
        try "ping {{n}}\n".write(toFile: templates + "/ping/chat.en.txt", atomically: true, encoding: .utf8)
        return try DaemonHarness(
            server: #"lease = "3s""#,
            channels: """
                [channels.hook]
                type = "webhook"
                preset = "generic"
                url = "http://127.0.0.1:\(peerPort)/hook"
                target = "room"
                max_connections = \(connections)
                timeout = 10
                retry_base = "1s"
                retry_max = "2s"
                max_attempts = 1000
                """, templates: templates)
    }

    /// Posts `count` triggers through the API (each 202 only once on disk).
    static func load(_ d: DaemonHarness, count: Int) throws {
        let r = try TestSupport.run(
            "python3",
            [DaemonHarness.client, "load", d.base + "/v1/messages", d.token, "ping", "hook", String(count), "8"])
        #expect(r.status == 0, "\(r.stdout) \(r.stderr)")
        #expect(try JSON.parse(r.stdout)["accepted"]?.intValue == count)
    }

    /// The old name of `TestSupport.waitFor` (which throws when the deadline passes).
    static func waitFor(_ what: String, seconds: Double, _ condition: () throws -> Bool) throws {
        try TestSupport.waitFor(what, seconds: seconds, interval: 0.1, condition)
    }

    @Test func sigkillMidwayLosesNothingAndRepeatsAtMostWhatWasOnTheWire() throws {
        let peer = Peer(port: TestSupport.freePort(), log: TestSupport.temporaryDirectory("peer") + "/received")
        try peer.start(delay: 0.01)
        let d = try Self.harness(peerPort: peer.port)
        try d.start()
        let total = 5000
        try Self.load(d, count: total)
        try Self.waitFor("the peer to receive a first part", seconds: 120) { peer.received.count >= 1500 }
        let (_, exited) = d.stop(SIGKILL)
        #expect(!exited)
        let atKill = Set(peer.received).count
        // Otherwise the crash happened after the work and proves nothing.
        #expect(atKill < total)

        try d.start()
        try Self.waitFor("all \(total) deliveries to arrive", seconds: 240) { Set(peer.received).count >= total }
        try Self.waitFor("every delivery to be recorded as sent", seconds: 60) {
            try d.queueCounts()["sent"]?.intValue == total
        }
        let received = peer.received
        let distinct = Set(received)
        #expect(distinct == Set((1...total).map(String.init)))
        #expect(received.count - distinct.count <= Self.connections, "\(received.count - distinct.count) duplicates")
        #expect(d.stop().status == 0)
    }

    @Test func aPeerThatIsDownForAWhileGetsEverythingWhenItComesBack() throws {
        let peer = Peer(port: TestSupport.freePort(), log: TestSupport.temporaryDirectory("peer") + "/received")
        let d = try Self.harness(peerPort: peer.port)
        try d.start()
        let total = 200
        try Self.load(d, count: total)
        // Nothing listens yet: the channel is found down and its deliveries wait, spending no
        // attempt (issue 14.12), instead of failing one by one.
        try Self.waitFor("the channel to be marked down", seconds: 60) {
            try d.send(["method": "GET", "path": "/healthz"]).json?["channels_down"]?.objectValue?.isEmpty == false
        }
        #expect(try d.queueCounts()["sent"]?.intValue == 0)
        #expect(try d.queueCounts()["failed"]?.intValue == 0)
        try peer.start(delay: 0.001)
        try Self.waitFor("all \(total) deliveries after the peer came back", seconds: 120) {
            let sent = try d.queueCounts()["sent"]?.intValue
            return Set(peer.received).count >= total && sent == total
        }
        #expect(Set(peer.received) == Set((1...total).map(String.init)))
        #expect(try d.queueCounts()["dead"]?.intValue ?? 0 == 0)
        #expect(d.stop().status == 0)
    }
}
