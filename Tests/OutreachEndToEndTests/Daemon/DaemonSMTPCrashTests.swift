import Foundation
import Outreach
import Testing

/// The SIGKILL test against a real, slow SMTP server (aiosmtpd, Tests/peers/smtp_server.py):
/// 5,000 triggers, each to its own address, the daemon killed mid-way and restarted. Every
/// address must receive its message; repeats at most the messages that were on the wire.
@Suite(.serialized)
struct DaemonSMTPCrashTests {
    static let connections = 4

    final class SMTPPeer {
        let port = TestSupport.freePort()
        let dir = TestSupport.temporaryDirectory("smtp")
        var process: Process?
        var stdin: Pipe?

        func start(delay: Double) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            let ready = dir + "/ready"
            p.arguments = [
                "python3", TestSupport.packageRoot + "/Tests/peers/smtp_server.py", "--port", String(port), "--dir",
                dir,
                "--ready", ready, "--delay", String(delay),
            ]
            let input = Pipe()
            p.standardInput = input
            let stderr = dir + "/stderr"
            p.standardError = TestSupport.stderrFile(stderr)
            try? FileManager.default.removeItem(atPath: ready)  // a restart must not see the last run's file
            try p.run()
            process = p
            stdin = input
            try TestSupport.waitForPeer(
                "the slow SMTP peer (Tests/peers/smtp_server.py)", readyFile: ready, process: p,
                stderrFile: stderr)
        }

        func stop() {
            if let p = process { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() }
            process = nil
        }

        deinit { stop() }

        /// The recipient of every message accepted so far (from the envelope files), repeats included.
        var recipients: [String] { envelopes.compactMap { $0["rcpt_tos"]?.arrayValue?.first?.stringValue } }

        /// When the server accepted each message (seconds since 1970, its clock), repeats included.
        var arrivals: [Double] {
            envelopes.compactMap { j in
                if case .number(let n) = j["at"] { Double(n) } else { nil }
            }
        }

        private var envelopes: [JSON] {
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter {
                $0.hasSuffix(".json")
            }
            return files.compactMap { f in
                guard let d = FileManager.default.contents(atPath: dir + "/" + f) else { return nil }
                return try? JSON.parse(Array(d))
            }
        }
    }

    @Test func sigkillMidwayToASlowSMTPServerLosesNothing() throws {
        let smtp = SMTPPeer()
        try smtp.start(delay: 0.01)
        let d = try DaemonHarness(
            server: #"lease = "3s""#,
            channels: """
                [channels.mail]
                type = "smtp"
                url = "smtp://127.0.0.1:\(smtp.port)"
                tls = "none"
                max_connections = \(Self.connections)
                timeout = 10
                retry_base = "1s"
                retry_max = "2s"
                max_attempts = 1000
                """)
        try d.start()
        let total = 5000
        let load = try TestSupport.run(
            "python3",
            [
                DaemonHarness.client, "load", d.base + "/v1/messages", d.token, "welcome", "mail",
                String(total), "8", "email",
            ])
        #expect(load.status == 0, "\(load.stdout) \(load.stderr)")
        try DaemonCrashTests.waitFor("the SMTP server to accept a first part", seconds: 180) {
            smtp.recipients.count >= 1500
        }
        #expect(!d.stop(SIGKILL).exited)
        #expect(Set(smtp.recipients).count < total, "the crash came after all the work; it proves nothing")

        try d.start()
        try DaemonCrashTests.waitFor("all \(total) messages", seconds: 300) { Set(smtp.recipients).count >= total }
        try DaemonCrashTests.waitFor("every delivery recorded as sent", seconds: 60) {
            try d.queueCounts()["sent"]?.intValue == total
        }
        let received = smtp.recipients
        #expect(Set(received) == Set((0..<total).map { "u\($0)@example.org" }))
        #expect(
            received.count - Set(received).count <= Self.connections,
            "\(received.count - Set(received).count) duplicates")
        #expect(d.stop().status == 0)
    }
}
