import Foundation
import Outreach
import Testing

/// What an operator relies on: receipts, quiet hours, metrics, systemd notify, reload.
@Suite(.serialized)
struct DaemonOperationsTests {
    static func waitFor(_ what: String, seconds: Double = 30, _ condition: () throws -> Bool) throws {
        let deadline = Date(timeIntervalSinceNow: seconds)
        while Date() < deadline {
            if try condition() { return }
            usleep(50_000)
        }
        Issue.record("timed out waiting for \(what)")
    }

    static func number(_ j: JSON?) -> Double? {
        if case .number(let s) = j { return Double(s) }
        return nil
    }

    static func message(_ d: DaemonHarness, _ id: Int) throws -> JSON {
        try #require(
            try d.send([
                "method": "GET", "path": .string("/v1/messages/\(id)"),
                "headers": ["Authorization": .string("Bearer " + d.token)],
            ]).json)
    }

    /// The listener's threads share their port (SO_REUSEPORT); a second daemon must still be
    /// refused rather than quietly take half the connections.
    @Test func aSecondDaemonOnTheSamePortIsRefused() throws {
        let d = try DaemonHarness(server: "threads = 2")
        try d.start()
        let second = try TestSupport.run("timeout", ["20", TestSupport.outreachd, "--config", d.configPath, "serve"])
        #expect(second.status == 1)
        #expect(second.stderr.contains("Cannot listen on 127.0.0.1:\(d.port)"))
        #expect(try d.send(["method": "GET", "path": "/healthz"]).status == 200)
        #expect(d.stop().status == 0)
    }

    @Test func kannelReceiptsMarkDeliveriesDeliveredOrBounced() throws {
        let d = try DaemonHarness(
            channels: """
                [channels.texts]
                type = "outbox"
                kind = "sms"
                dir = "sms"
                preset = "kannel"
                """)
        try d.start()
        let r = try d.send(d.trigger(#"{"template":"welcome","to":[{"phone":"+4521436677"},{"phone":"+4521436678"}]}"#))
        #expect(r.status == 202)
        let mid = try #require(r.json?["id"]?.intValue)
        let ids = try #require(r.json?["deliveries"]?.arrayValue?.compactMap { $0["id"]?.intValue })
        try Self.waitFor("both sent") { try Self.message(d, mid)["counts"]?["sent"]?.intValue == 2 }
        // Kannel's dlr-url callbacks: status 1 delivered, 16 rejected by the SMSC.
        let rs = try d.send([
            ["method": "GET", "path": .string("/v1/receipts/texts?id=\(ids[0])&status=1")],
            [
                "method": "POST", "path": "/v1/receipts/texts",
                "form": ["id": .string(String(ids[1])), "status": "16", "answer": "NACK/blocked"],
            ],
            ["method": "GET", "path": .string("/v1/receipts/texts?id=\(ids[0])&status=banana")],
            ["method": "GET", "path": "/v1/receipts/nope?id=1&status=1"],
        ])
        #expect(rs[0].status == 200)
        #expect(rs[1].status == 200)
        #expect(rs[2].status == 400)
        #expect(rs[2].error.contains("status"))
        #expect(rs[3].status == 404)
        let states = try Self.message(d, mid)["deliveries"]?.arrayValue?.reduce(into: [Int: String]()) {
            $0[$1["id"]?.intValue ?? 0] = $1["state"]?.stringValue
        }
        #expect(states?[ids[0]] == "delivered")
        #expect(states?[ids[1]] == "bounced")
        d.stop()
    }

    /// Twilio's status callbacks are believed only with the URL's receipt token and a signature
    /// Twilio's own helper library computes over the callback URL outreachd handed out.
    @Test func twilioCallbacksNeedTheReceiptTokenAndTwilioSignature() throws {
        let gateway = try HTTPRecorder(
            responses: #"[{"status": 201, "body": "{\"sid\":\"SM0123\",\"status\":\"queued\"}"}]"#)
        let d = try DaemonHarness(
            channels: """
                [channels.texts]
                type = "sms"
                preset = "twilio"
                url = "\(gateway.url)"
                account_sid = "AC42"
                auth_token = "tok3n"
                from = "+4512345678"
                receipt_token = "r3c-t0k.en"
                """)
        try d.start()
        let r = try d.send(d.trigger(#"{"template":"welcome","to":[{"phone":"+4521436677"}]}"#))
        #expect(r.status == 202)
        let mid = try #require(r.json?["id"]?.intValue)
        try Self.waitFor("the SMS to be sent") { try Self.message(d, mid)["counts"]?["sent"]?.intValue == 1 }
        let callback = try #require(gateway.requests().first?.form["StatusCallback"])
        #expect(callback == d.base + "/v1/receipts/texts?token=r3c-t0k.en")
        let path = String(callback.dropFirst(d.base.count))

        func sign(_ url: String, _ params: [String: String], key: String = "tok3n") throws -> String {
            let input = JSON.object([
                "url": .string(url), "key": .string(key), "params": .object(params.mapValues { .string($0) }),
            ])
            let out = try TestSupport.python(
                """
                import sys, json
                from twilio.request_validator import RequestValidator
                a = json.load(sys.stdin)
                print(RequestValidator(a["key"]).compute_signature(a["url"], a["params"]), end="")
                """, stdin: Array(input.serialized.utf8))
            #expect(out.status == 0, "\(out.stderr)")
            return out.stdout
        }
        let delivered = [
            "MessageSid": "SM0123", "MessageStatus": "delivered", "To": "+4521436677", "AccountSid": "AC42",
        ]
        let failed = delivered.merging(["MessageStatus": "failed", "ErrorCode": "30005"]) { $1 }
        let good = try sign(callback, delivered)
        func post(_ path: String, _ form: [String: String], signature: String?) -> JSON {
            var j: [String: JSON] = [
                "method": "POST", "path": .string(path), "form": .object(form.mapValues { .string($0) }),
            ]
            if let signature { j["headers"] = ["X-Twilio-Signature": .string(signature)] }
            return .object(j)
        }
        let rs = try d.send([
            post(path, failed, signature: nil),  // unsigned
            post(path, failed, signature: good),  // signed for another body
            post(path, failed, signature: try sign(callback, failed, key: "guess")),  // signed with another key
            post(path, failed, signature: try sign("http://elsewhere.example/x", failed)),
            post("/v1/receipts/texts", failed, signature: try sign(d.base + "/v1/receipts/texts", failed)),  // no token
            [
                "method": "GET", "path": .string(path + "&MessageSid=SM0123&MessageStatus=failed"),
                "headers": ["X-Twilio-Signature": .string(good)],
            ],
            post(path, delivered, signature: good),
        ])
        #expect(rs.map(\.status) == [401, 401, 401, 401, 401, 401, 200])
        #expect(rs[0].error.contains("X-Twilio-Signature: missing"))
        #expect(rs[1].error.contains("X-Twilio-Signature: does not match"))
        #expect(rs[4].error.hasPrefix("token:"))
        #expect(rs[5].error.contains("POST"))
        #expect(rs[6].json?["matched"] == .bool(true))
        let delivery = try #require(try Self.message(d, mid)["deliveries"]?.arrayValue?.first)
        #expect(delivery["state"]?.stringValue == "delivered")
        // A message to the number, due tomorrow, waits in the queue.
        let later = WallClock.rfc3339(WallClock.nowMillis() + 86_400_000)
        let queued = try d.send(
            d.trigger(#"{"template":"welcome","to":[{"phone":"+4521436677"}],"send_at":"\#(later)"}"#))
        let laterID = try #require(queued.json?["id"]?.intValue)
        // An inbound STOP, signed the same way, suppresses the number.
        let stop = ["From": "+4521436677", "To": "+4512345678", "Body": "Stop", "MessageSid": "SM9"]
        let s = try d.send(post(path, stop, signature: try sign(callback, stop)))
        #expect(s.status == 200)
        // Twilio reads the answer as TwiML: an empty <Response>, so nothing is replied.
        #expect(s.headers["content-type"]?.hasPrefix("text/xml") == true)
        let twiml = try TestSupport.python(
            "import sys, xml.etree.ElementTree as E; r = E.fromstring(sys.stdin.read()); print(r.tag, len(r))",
            stdin: Array(s.body.utf8))
        #expect(
            twiml.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "Response 0", "\(s.body) \(twiml.stderr)")
        let suppressed = try TestSupport.run(
            "sqlite3", [d.dir + "/data/outreach.db", "SELECT address, reason FROM suppressions"])
        #expect(suppressed.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "+4521436677|stop")
        // STOP stops every message not yet sent, transactional too (issue 15), at once.
        let cancelled = try #require(try Self.message(d, laterID)["deliveries"]?.arrayValue?.first)
        #expect(
            cancelled["state"]?.stringValue == "cancelled" && cancelled["cancel_reason"]?.stringValue == "suppressed",
            "\(cancelled)")
        let metrics = try d.send(["method": "GET", "path": "/metrics"]).body
        #expect(metrics.contains(#"outreach_deliveries_cancelled{reason="suppressed"} 1"#), "\(metrics)")
        d.stop()
    }

    @Test func quietHoursDeferWithoutCountingAnAttempt() throws {
        // A two-hour window around now, in UTC, so the test does not depend on the hour it runs.
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let h = cal.component(.hour, from: Date())
        let window = String(format: "%02d:00-%02d:00", (h + 23) % 24, (h + 2) % 24)
        let d = try DaemonHarness(
            channels: """
                [channels.texts]
                type = "outbox"
                kind = "sms"
                dir = "sms"
                quiet_hours = "\(window)"
                quiet_hours_zone = "UTC"
                [channels.mail]
                type = "outbox"
                dir = "mail"
                """)
        try d.start()
        let r = try d.send(
            d.trigger(#"{"template":"welcome","to":[{"phone":"+4521436677","email":"ana@example.org"}]}"#))
        #expect(r.status == 202)
        let mid = try #require(r.json?["id"]?.intValue)
        try Self.waitFor("the email to go out and the SMS to be deferred") {
            let ds = try Self.message(d, mid)["deliveries"]?.arrayValue ?? []
            return ds.contains { $0["channel"]?.stringValue == "mail" && $0["state"]?.stringValue == "sent" }
                && ds.contains {
                    $0["channel"]?.stringValue == "texts" && $0["last_error"]?.stringValue == "deferred by quiet hours"
                }
        }
        let sms = try #require(
            try Self.message(d, mid)["deliveries"]?.arrayValue?.first { $0["channel"]?.stringValue == "texts" })
        #expect(sms["state"]?.stringValue == "queued")
        #expect(sms["attempts"]?.intValue == 0)
        let next = try #require(sms["next_attempt_at"]?.stringValue.flatMap(WallClock.parseRFC3339))
        #expect(cal.component(.hour, from: Date(timeIntervalSince1970: Double(next) / 1000)) == (h + 2) % 24)
        #expect(cal.component(.minute, from: Date(timeIntervalSince1970: Double(next) / 1000)) == 0)
        d.stop()
    }

    @Test func metricsParseAsPrometheusText() throws {
        let d = try DaemonHarness()
        try d.start()
        #expect(try d.send(d.trigger(#"{"template":"welcome","to":[{"email":"ana@example.org"}]}"#)).status == 202)
        try Self.waitFor("the delivery to be sent") { try d.queueCounts()["sent"]?.intValue == 1 }
        let text = try d.send(["method": "GET", "path": "/metrics"])
        #expect(text.status == 200)
        #expect(text.headers["content-type"]?.hasPrefix("text/plain; version=0.0.4") == true)
        // Parsed by the reference client library.
        let parsed = try TestSupport.python(
            """
            import sys, json
            from prometheus_client.parser import text_string_to_metric_families
            out = {}
            for f in text_string_to_metric_families(sys.stdin.read()):
                out[f.name] = {"type": f.type, "samples": [[s.name, s.labels, s.value] for s in f.samples]}
            print(json.dumps(out))
            """, stdin: Array(text.body.utf8))
        #expect(parsed.status == 0, "\(parsed.stderr)")
        let m = try JSON.parse(parsed.stdout)
        #expect(m["outreach_deliveries"]?["type"]?.stringValue == "gauge")
        let sentGauge = m["outreach_deliveries"]?["samples"]?.arrayValue?.first {
            $0.arrayValue?[1]["state"]?.stringValue == "sent"
        }
        #expect(Self.number(sentGauge?.arrayValue?[2]) == 1)
        #expect(m["outreach_sent"]?["type"]?.stringValue == "counter")
        #expect(m["outreach_send_duration_seconds"]?["type"]?.stringValue == "histogram")
        let count = m["outreach_send_duration_seconds"]?["samples"]?.arrayValue?.first {
            $0.arrayValue?[0].stringValue == "outreach_send_duration_seconds_count"
        }
        #expect(count?.arrayValue?[1]["channel"]?.stringValue == "outbox")
        #expect(Self.number(count?.arrayValue?[2]) == 1)
        // One trigger went through the group committer.
        let enqueues = m["outreach_enqueue_duration_seconds"]?["samples"]?.arrayValue?.first {
            $0.arrayValue?[0].stringValue == "outreach_enqueue_duration_seconds_count"
        }
        #expect(m["outreach_enqueue_duration_seconds"]?["type"]?.stringValue == "histogram")
        #expect(Self.number(enqueues?.arrayValue?[2]) == 1)
        // …and was flushed to disk by one fsync.
        let flushes = m["outreach_flush_duration_seconds"]?["samples"]?.arrayValue?.first {
            $0.arrayValue?[0].stringValue == "outreach_flush_duration_seconds_count"
        }
        #expect(Self.number(flushes?.arrayValue?[2]) == 1)
        d.stop()
    }

    @Test func tellsSystemdReadyWatchdogAndStopping() throws {
        let d = try DaemonHarness()
        let socket = d.dir + "/notify.sock"
        let listener = Process()
        listener.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        listener.arguments = ["python3", TestSupport.packageRoot + "/Tests/peers/daemon_notify.py", socket, "60"]
        let out = Pipe()
        listener.standardOutput = out
        try listener.run()
        try TestSupport.readReadyLine(
            "the notify listener (Tests/peers/daemon_notify.py)", from: out,
            process: listener)
        try d.start(environment: ["NOTIFY_SOCKET": socket, "WATCHDOG_USEC": "200000"])
        let log = socket + ".log"
        func lines() -> [String] {
            ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }
        try Self.waitFor("READY=1 and a watchdog ping") {
            lines().contains { $0.contains("READY=1") } && lines().contains("WATCHDOG=1")
        }
        #expect(d.stop().status == 0)
        listener.waitUntilExit()
        #expect(lines().contains { $0.hasPrefix("STOPPING=1") })
        #expect(lines().first { $0.contains("READY=1") }?.contains("STATUS=Listening on 127.0.0.1:\(d.port)") == true)
    }

    @Test func sighupReloadsTokens() throws {
        let d = try DaemonHarness()
        try d.start()
        let body = #"{"template":"welcome","to":[{"email":"ana@example.org"}]}"#
        let newToken = "rotated-token"
        func post(_ token: String) throws -> Int {
            try d.send([
                "method": "POST", "path": "/v1/messages", "body": .string(body),
                "headers": ["Authorization": .string("Bearer " + token), "Content-Type": "application/json"],
            ]).status
        }
        #expect(try post(newToken) == 401)
        try (newToken + "\n").write(toFile: d.dir + "/tokens", atomically: true, encoding: .utf8)
        kill(d.pid, SIGHUP)
        try Self.waitFor("the reload") { d.log.contains("reloaded the configuration") }
        #expect(try post(newToken) == 202)
        #expect(try post(d.token) == 401)
        #expect(d.stop().status == 0)
    }

    /// A reload checks the new channels as a start would: a typo fails the reload (the old
    /// configuration stays), and a changed setting that needs a restart is said.
    @Test func sighupRefusesABadChannelAndSaysWhatNeedsARestart() throws {
        let d = try DaemonHarness()
        try d.start()
        let original = try String(contentsOfFile: d.configPath, encoding: .utf8)
        try (original + "\nrat = \"5/s\"\n").write(toFile: d.configPath, atomically: true, encoding: .utf8)
        kill(d.pid, SIGHUP)
        try Self.waitFor("the refused reload") { d.log.contains("reload failed") }
        #expect(d.log.contains("reload failed, keeping the previous configuration: \(d.configPath):"), "\(d.log)")
        #expect(d.log.contains("'rat' is not a setting of [channels.outbox] (did you mean 'rate'?)"), "\(d.log)")
        #expect(try d.send(["method": "GET", "path": "/healthz"]).status == 200)
        try (original + "\nrate = \"5/s\"\n").write(toFile: d.configPath, atomically: true, encoding: .utf8)
        kill(d.pid, SIGHUP)
        try Self.waitFor("the reload") { d.log.contains("reloaded the configuration") }
        let warning = "settings of [channels.outbox] changed; apart from quiet hours they apply after a restart"
        #expect(d.log.contains(warning), "\(d.log)")
        // The running channels keep the settings they started with, so a second reload of the same
        // file says it again: it compares with what runs, not with what the last reload read.
        kill(d.pid, SIGHUP)
        try Self.waitFor("the second reload") { d.log.components(separatedBy: "reloaded the configuration").count == 3 }
        #expect(d.log.components(separatedBy: warning).count == 3, "\(d.log)")
        #expect(d.stop().status == 0)
    }
}
