import Foundation
import Outreach
import Testing

/// Review of issue 14.12 (helper g): the outage handling, through `outreachd serve` and a relay
/// that is down, then back. Each fails on 23b641f.
@Suite(.serialized)
struct ReviewGRelayOutageTests {
    /// A Python peer on `port` that appends a line to `dir/hits` for every request it acts on.
    static func startPeer(_ script: String, port: Int, dir: String) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script, String(port), dir + "/hits"]
        try p.run()
        return p
    }

    /// SIGKILL: the test runner's children may have SIGTERM blocked.
    static func stop(_ p: Process) {
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
    }

    /// A daemon with one Telegram channel `team` posting to the peer on `port`, three attempts a second apart.
    static func telegramDaemon(port: Int, dir: String) throws -> DaemonHarness {
        try "123:ABC\n".write(toFile: dir + "/tg-token", atomically: true, encoding: .utf8)
        return try DaemonHarness(
            channels: """
                [channels.team]
                type = "webhook"
                preset = "telegram"
                url = "http://127.0.0.1:\(port)"
                bot_token_file = "\(dir)/tg-token"
                chat_id = "-100123"
                retry_base = "1s"
                retry_max = "2s"
                max_attempts = 3
                """)
    }

    /// "Deliveries wait without spending attempts (only max_age still applies)". While the channel
    /// is down only the one probe message is ever looked at again, so max_age ends at most the
    /// probes; every other delivery is sent when the relay returns, however old it is by then.
    @Test func reviewG_maxAgeStillEndsDeliveriesThatWaitedOutAnOutage() throws {
        let port = TestSupport.freePort()
        let d = try DaemonHarness(
            channels: RelayOutageTests.mailChannel(port, extra: #"max_age = "4s""#),
            top: "[sender]\nfrom = \"Outreach <news@example.org>\"")
        let to = (0..<10).flatMap { ["--to", "p\($0)@example.org"] }
        #expect(try d.cli(["send", "welcome", "--channel", "mail", "--queue-only"] + to).status == 0)
        let queuedAt = Date()
        try d.start()
        try DaemonCrashTests.waitFor("a batch that cannot reach the relay", seconds: 30) {
            try RelayOutageTests.unreachableCount(d) > 0
        }
        // Well past max_age (4 s) for every one of them, the relay comes back.
        try DaemonCrashTests.waitFor("max_age to pass", seconds: 30) { Date().timeIntervalSince(queuedAt) > 8 }
        let smtp = try SMTPServer(port: port)
        try DaemonCrashTests.waitFor("an empty queue", seconds: 60) {
            let c = try d.queueCounts()
            return (c["queued"]?.intValue ?? 0) + (c["failed"]?.intValue ?? 0) + (c["sending"]?.intValue ?? 0) == 0
        }
        let counts = try d.queueCounts()
        let sentAfterOutage = smtp.messages().count
        #expect(sentAfterOutage == 0, "\(sentAfterOutage) messages older than max_age were sent after the outage")
        #expect(counts["dead"] == JSON(10), "\(counts)")
        d.stop()
    }

    /// A gateway that answers 503 to one message while it accepts the others is not down: that
    /// message should spend its attempts. Today the 503 always gives the attempt back (the batch
    /// marks the channel up, yet the message is retried a second later for free), and alone in a
    /// batch it marks the whole channel down: it is retried until max_age (3 days by default),
    /// never reaching max_attempts, and /healthz reports the channel down meanwhile.
    @Test func reviewG_aMessageOnlyItGets503ForSpendsItsAttempts() throws {
        let port = TestSupport.freePort()
        let dir = TestSupport.temporaryDirectory("rg-503")
        let script = dir + "/gw.py"
        try """
        import http.server, sys
        class H(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                bad = b"Poison" in body
                with open(sys.argv[2], "a") as f: f.write("503\\n" if bad else "200\\n")
                out = b'{"ok":false}' if bad else b'{"ok":true,"result":{"message_id":1}}'
                self.send_response(503 if bad else 200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)
            def log_message(self, *a): pass
        http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let gw = try Self.startPeer(script, port: port, dir: dir)
        defer { Self.stop(gw) }
        let d = try Self.telegramDaemon(port: port, dir: dir)
        #expect(try d.cli(["contacts", "add", "--email", "p@example.org", "--name", "Poison"]).status == 0)
        #expect(try d.cli(["contacts", "add", "--email", "ok@example.org", "--name", "Okay"]).status == 0)
        #expect(
            try d.cli([
                "send", "welcome", "--channel", "team", "--to", "p@example.org", "--to", "ok@example.org",
                "--queue-only",
            ]).status == 0)
        try d.start()
        func hits503() -> Int {
            ((try? String(contentsOfFile: dir + "/hits", encoding: .utf8)) ?? "").split(separator: "\n").filter {
                $0 == "503"
            }.count
        }
        try DaemonCrashTests.waitFor("the 503 message to go dead after max_attempts = 3", seconds: 30) {
            (try d.queueCounts())["dead"]?.intValue == 1
        }
        #expect(
            hits503() <= 3, "the message that only it gets 503 for was tried \(hits503()) times with max_attempts = 3")
        d.stop()
    }

    /// CURLE_GOT_NOTHING is counted as "could not reach the endpoint" (HTTPClientError.unreachableCodes),
    /// but for HTTP it means the peer read the whole request and closed without an answer — it may
    /// well have acted on it. The attempt is given back every time, so a receiver that processes
    /// and then drops the connection gets the same message again at every probe until max_age
    /// (3 days by default), not max_attempts times.
    @Test func reviewG_aRequestThePeerReadButDidNotAnswerIsNotRepeatedBeyondMaxAttempts() throws {
        let port = TestSupport.freePort()
        let dir = TestSupport.temporaryDirectory("rg-nothing")
        let script = dir + "/peer.py"
        try """
        import socket, sys
        s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(16)
        while True:
            c, _ = s.accept()
            data = b""
            while b"\\r\\n\\r\\n" not in data:
                chunk = c.recv(65536)
                if not chunk: break
                data += chunk
            head, _, body = data.partition(b"\\r\\n\\r\\n")
            n = 0
            for line in head.split(b"\\r\\n"):
                if line.lower().startswith(b"content-length:"): n = int(line.split(b":")[1])
            while len(body) < n:
                chunk = c.recv(65536)
                if not chunk: break
                body += chunk
            with open(sys.argv[2], "a") as f: f.write("got\\n")   # acted on it
            c.close()                                            # ...and answered nothing
        """.write(toFile: script, atomically: true, encoding: .utf8)
        let peer = try Self.startPeer(script, port: port, dir: dir)
        defer { Self.stop(peer) }
        let d = try Self.telegramDaemon(port: port, dir: dir)
        #expect(
            try d.cli(["send", "welcome", "--channel", "team", "--to", "a@example.org", "--queue-only"]).status == 0)
        try d.start()
        func received() -> Int {
            ((try? String(contentsOfFile: dir + "/hits", encoding: .utf8)) ?? "").split(separator: "\n").count
        }
        try DaemonCrashTests.waitFor("the delivery to end after max_attempts = 3", seconds: 30) {
            (try d.queueCounts())["dead"]?.intValue == 1
        }
        #expect(received() <= 3, "the peer received the same message \(received()) times with max_attempts = 3")
        d.stop()
    }

    /// A probe is lost when it learns nothing: `ChannelAvailability.mode` pushes the next probe 60 s
    /// out when it hands out a probe, and only markUp/markDown/allowProbe bring it back. A probe
    /// whose one delivery cannot be composed (or a claim that throws) calls none of them, so the
    /// channel waits the full 60 s cap after the relay is back instead of the probe backoff.
    @Test func reviewG_aProbeThatCannotBeComposedDoesNotStallTheChannelForAMinute() throws {
        let port = TestSupport.freePort()
        let d = try DaemonHarness(
            channels: RelayOutageTests.mailChannel(port), top: "[sender]\nfrom = \"Outreach <news@example.org>\"")
        let db = d.dir + "/data/outreach.db"
        #expect(
            try d.cli(["send", "welcome", "--channel", "mail", "--to", "good@example.org", "--queue-only"]).status == 0)
        #expect(
            try d.cli(["send", "welcome", "--channel", "mail", "--to", "bad@example.org", "--queue-only"]).status == 0)
        // The second cannot be composed (its template is gone), and waits.
        let r = try TestSupport.run(
            "sqlite3",
            [
                "-cmd", ".timeout 10000", db,
                """
                UPDATE messages SET template = 'gone' WHERE id = (SELECT message_id FROM deliveries WHERE address = 'bad@example.org');
                UPDATE deliveries SET next_attempt_at = 9000000000000 WHERE address = 'bad@example.org'
                """,
            ])
        #expect(r.status == 0, "\(r.stderr)")
        try d.start()
        try DaemonCrashTests.waitFor("a batch that cannot reach the relay", seconds: 30) {
            try RelayOutageTests.unreachableCount(d) > 0
        }
        // Now the broken one is due before the next probe: the probe takes it.
        let due = try TestSupport.run(
            "sqlite3",
            [
                "-cmd", ".timeout 10000", db,
                "UPDATE deliveries SET next_attempt_at = 0 WHERE address = 'bad@example.org'",
            ])
        #expect(due.status == 0, "\(due.stderr)")
        try DaemonCrashTests.waitFor("the broken probe to end", seconds: 30) {
            (try d.queueCounts())["dead"]?.intValue == 1
        }
        let smtp = try SMTPServer(port: port)
        try DaemonCrashTests.waitFor("the good mail within the probe backoff (not the 60 s cap)", seconds: 20) {
            smtp.messages().count >= 1
        }
        d.stop()
    }

    /// `queue status` (another process) reads the outage from channel_status. A row written by a
    /// `send`/`work` run is cleared only by a process that itself saw the outage: the daemon that
    /// later sends on the channel fine never clears it, so `queue status` says "down" indefinitely.
    @Test func reviewG_queueStatusStopsSayingDownOnceTheChannelSendsAgain() throws {
        let port = TestSupport.freePort()
        let d = try DaemonHarness(
            channels: RelayOutageTests.mailChannel(port), top: "[sender]\nfrom = \"Outreach <news@example.org>\"")
        try d.start()
        // A CLI send while the relay is down: it marks the channel down in the database and exits.
        _ = try d.cli(["send", "welcome", "--channel", "mail", "--to", "a@example.org"])
        let during = try JSON.parse(try d.cli(["queue", "status", "--json"]).stdout)
        #expect(during["channels_down"]?["mail"] != nil, "\(during)")
        // The relay comes back; the daemon sends the waiting mail.
        let smtp = try SMTPServer(port: port)
        try DaemonCrashTests.waitFor("the mail", seconds: 30) { smtp.messages().count >= 1 }
        try DaemonCrashTests.waitFor("queue status to stop reporting mail as down", seconds: 15) {
            let s = try JSON.parse(try d.cli(["queue", "status", "--json"]).stdout)
            return s["channels_down"]?["mail"] == nil
        }
        d.stop()
    }
}
