import Foundation
import Outreach
import Testing

/// `outreachd serve` over real HTTP: authentication, idempotency, and the status and field named
/// for each kind of bad request.
@Suite(.serialized)
struct DaemonAPITests {
    @Test func refusesRequestsWithoutAValidToken() throws {
        let d = try DaemonHarness()
        try d.start()
        let body = #"{"template":"welcome","to":[{"email":"ana@example.org"}]}"#
        let rs = try d.send([
            [
                "method": "POST", "path": "/v1/messages", "headers": ["Content-Type": "application/json"],
                "body": .string(body),
            ],
            [
                "method": "POST", "path": "/v1/messages",
                "headers": ["Content-Type": "application/json", "Authorization": "Bearer wrong"], "body": .string(body),
            ],
            [
                "method": "POST", "path": "/v1/messages",
                "headers": ["Content-Type": "application/json", "Authorization": "Basic eDp5"], "body": .string(body),
            ],
            ["method": "GET", "path": "/v1/messages/1"],
        ])
        for r in rs {
            #expect(r.status == 401)
            #expect(r.error.hasPrefix("Authorization"))
            #expect(r.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
        }
        #expect(try d.queueCounts()["total"]?.intValue == 0)
        #expect(d.stop().status == 0)
    }

    @Test func sameKeyAndBodyReplaysTheFirstAnswerAndOtherBodyConflicts() throws {
        let d = try DaemonHarness()
        try d.start()
        let body =
            #"{"template":"welcome","to":[{"email":"ana@example.org","name":"Ana"},{"email":"bo@example.org"}],"data":{"x":1}}"#
        let rs = try d.send([
            d.trigger(body, headers: ["Idempotency-Key": "order-17"]),
            d.trigger(body, headers: ["Idempotency-Key": "order-17"]),
            d.trigger(
                #"{"template":"welcome","to":[{"email":"eve@example.org"}]}"#, headers: ["Idempotency-Key": "order-17"]),
            d.trigger(body, headers: ["Idempotency-Key": "order-18"]),
        ])
        #expect(rs[0].status == 202)
        #expect(rs[0].json?["deliveries"]?.arrayValue?.count == 2)
        #expect(rs[1].status == 202)
        #expect(rs[1].json == rs[0].json)
        #expect(rs[1].headers["idempotent-replayed"] == "true")
        #expect(rs[2].status == 409)
        #expect(rs[2].error.hasPrefix("Idempotency-Key"))
        #expect(rs[3].status == 202)
        #expect(rs[3].json?["id"] != rs[0].json?["id"])
        // Two deliveries for order-17, two for order-18: the replay and the conflict queued nothing.
        #expect(try d.queueCounts()["total"]?.intValue == 4)
        let id = try #require(rs[0].json?["id"]?.intValue)
        let get = try d.send([
            "method": "GET", "path": .string("/v1/messages/\(id)"),
            "headers": ["Authorization": .string("Bearer " + d.token)],
        ])
        #expect(get.status == 200)
        #expect(
            Set(get.json?["deliveries"]?.arrayValue?.compactMap { $0["address"]?.stringValue } ?? []) == [
                "ana@example.org", "bo@example.org",
            ])
        #expect(d.stop().status == 0)
    }

    @Test func acceptsAStandardWebhooksSignatureAndUsesWebhookIDAsTheKey() throws {
        let secret = "whsec_" + Data("a test secret of enough length".utf8).base64EncodedString()
        let d = try DaemonHarness(server: "webhook_secret = \"\(secret)\"")
        try d.start()
        let body = #"{"template":"welcome","to":[{"email":"ana@example.org"}]}"#
        // Signed by the reference implementation, not by our own code.
        let sign = try TestSupport.python(
            """
            import sys, json, time, datetime
            from standardwebhooks.webhooks import Webhook
            wh = Webhook(sys.argv[1])
            ts = datetime.datetime.now(tz=datetime.timezone.utc)
            sig = wh.sign("msg_1", ts, sys.argv[2])
            print(json.dumps({"webhook-id": "msg_1", "webhook-timestamp": str(int(ts.timestamp())), "webhook-signature": sig}))
            """, [secret, body])
        let headers = try JSON.parse(sign.stdout)
        var h = headers.objectValue!
        h["Content-Type"] = "application/json"
        var bad = h
        bad["webhook-signature"] = "v1,AAAA"
        let rs = try d.send([
            ["method": "POST", "path": "/v1/messages", "headers": .object(h), "body": .string(body)],
            ["method": "POST", "path": "/v1/messages", "headers": .object(h), "body": .string(body)],
            ["method": "POST", "path": "/v1/messages", "headers": .object(bad), "body": .string(body)],
        ])
        #expect(rs[0].status == 202)
        #expect(rs[1].status == 202)
        #expect(rs[1].json == rs[0].json)
        #expect(rs[2].status == 401)
        #expect(try d.queueCounts()["total"]?.intValue == 1)
        d.stop()
    }

    /// Issue 14.5: a captured signed trigger replayed with an `Idempotency-Key` of the attacker's
    /// choosing once got 202 and a new message each time. For a signed request `webhook-id` is the
    /// key: another Idempotency-Key is refused, the same one is the ordinary replay.
    @Test func aSignedTriggerRefusesAnIdempotencyKeyOtherThanItsWebhookID() throws {
        let secret = "whsec_" + Data("a test secret of enough length".utf8).base64EncodedString()
        let d = try DaemonHarness(server: "webhook_secret = \"\(secret)\"")
        try d.start()
        let body = #"{"template":"welcome","to":[{"email":"ana@example.org"}]}"#
        let sign = try TestSupport.python(
            """
            import sys, json, datetime
            from standardwebhooks.webhooks import Webhook
            ts = datetime.datetime.now(tz=datetime.timezone.utc)
            sig = Webhook(sys.argv[1]).sign("msg_7", ts, sys.argv[2])
            print(json.dumps({"webhook-id": "msg_7", "webhook-timestamp": str(int(ts.timestamp())), "webhook-signature": sig}))
            """, [secret, body])
        var h = try JSON.parse(sign.stdout).objectValue!
        h["Content-Type"] = "application/json"
        func with(_ key: String) -> JSON {
            var k = h
            k["Idempotency-Key"] = .string(key)
            return ["method": "POST", "path": "/v1/messages", "headers": .object(k), "body": .string(body)]
        }
        let rs = try d.send([
            ["method": "POST", "path": "/v1/messages", "headers": .object(h), "body": .string(body)],
            with("anything"), with("anything-else"), with("msg_7"),
        ])
        #expect(rs[0].status == 202)
        for r in rs[1...2] {
            #expect(r.status == 400, "\(r.status) \(r.body)")
            #expect(r.error.hasPrefix("Idempotency-Key"), "\(r.error)")
        }
        #expect(rs[3].status == 202)
        #expect(rs[3].json == rs[0].json)
        #expect(try d.queueCounts()["total"]?.intValue == 1)
        #expect(d.stop().status == 0)
    }

    /// Issue 14.1: a timestamp at the edge of Int once trapped while the "too old" message was
    /// built, so one unauthenticated request killed the daemon. Each extreme now gets 401.
    @Test func extremeWebhookTimestampsAreRefusedNotFatal() throws {
        let secret = "whsec_" + Data("a test secret of enough length".utf8).base64EncodedString()
        let d = try DaemonHarness(server: "webhook_secret = \"\(secret)\"")
        try d.start()
        let body = #"{"template":"welcome","to":[{"email":"ana@example.org"}]}"#
        let stamps = [
            "-9223372036854775808", "9223372036854775807", "-9223372036854775000", "99999999999999999999", "1e300",
        ]
        var requests: [JSON] = []
        for ts in stamps {
            let h: JSON = [
                "webhook-id": "x", "webhook-timestamp": .string(ts), "webhook-signature": "v1,AAAA",
                "Content-Type": "application/json",
            ]
            requests.append(["method": "POST", "path": "/v1/messages", "headers": h, "body": .string(body)])
            requests.append(["method": "GET", "path": "/v1/messages/1", "headers": h])
        }
        let rs = try d.send(requests)
        for r in rs { #expect(r.status == 401, "\(r.status) \(r.body)") }
        let health = try d.send(["method": "GET", "path": "/healthz"])
        #expect(health.status == 200)
        #expect(d.stop().status == 0)
    }

    @Test func badRequestsGetTheirStatusAndNameTheField() throws {
        let d = try DaemonHarness(server: "max_body_bytes = 4096")
        try d.start()
        var oversized = d.trigger("")
        var o = oversized.objectValue!
        o["body"] = nil
        o["repeat"] = ["char": "a", "count": 10_000]
        oversized = .object(o)
        var wrongType = d.trigger(#"{"template":"welcome","to":[{"email":"ana@example.org"}]}"#)
        var w = wrongType.objectValue!
        w["headers"] = ["Authorization": .string("Bearer " + d.token), "Content-Type": "text/plain"]
        wrongType = .object(w)
        let cases: [(JSON, Int, String)] = [
            (d.trigger(#"{"template":"welcome","to":[{"email":"#), 400, "body"),
            (d.trigger(#"{"template":"no-such-template","to":[{"email":"ana@example.org"}]}"#), 422, "template"),
            (d.trigger(#"{"template":"welcome","to":[{"email":"ana@@example.org"}]}"#), 400, "to[0].email"),
            (
                d.trigger(#"{"template":"welcome","to":[{"email":"ana@example.org"},{"phone":"12"}]}"#), 400,
                "to[1].phone"
            ),
            (d.trigger(#"{"template":"welcome"}"#), 400, "to"),
            (d.trigger(#"{"to":[{"email":"ana@example.org"}]}"#), 400, "template"),
            (
                d.trigger(#"{"template":"welcome","to":[{"email":"ana@example.org"}],"channels":["fax"]}"#), 400,
                "channels[0]"
            ),
            (
                d.trigger(#"{"template":"welcome","to":[{"email":"ana@example.org"}],"send_at":"tomorrow"}"#), 400,
                "send_at"
            ),
            (d.trigger(#"{"template":"welcome","to":[{"email":"ana@example.org"}],"colour":"red"}"#), 400, "colour"),
            (
                d.trigger(#"{"template":"welcome","to":[{"email":"ana@example.org"}],"size":1,"colour":"red"}"#), 400,
                "colour"
            ),
            (d.trigger(#"{"template":"welcome","to":["ana@example.org"]}"#), 400, "to[0]: must be an object"),
            (
                d.trigger(#"{"template":"welcome","to":{"email":"ana@example.org"}}"#), 400,
                "to: must be a non-empty array"
            ),
            (d.trigger(#"{"template":"welcome","to":[]}"#), 400, "to: must be a non-empty array"),
            (d.trigger(#"{"template":"welcome","to":[{"email":"ana@example.org","mail":"x"}]}"#), 400, "to[0].mail"),
            (d.trigger(#"{"template":"welcome","to":[{"email":5}]}"#), 400, "to[0].email: must be a string"),
            (d.trigger(#"["template","welcome"]"#), 400, "body: must be a JSON object"),
            (d.trigger(#"{"template":7,"to":[{"email":"ana@example.org"}]} {"#), 400, "body: not valid JSON"),
            (
                d.trigger(#"{"template":"welcome","template":"nope","to":[{"email":"ana@example.org"}]}"#), 422,
                "template"
            ),
            (oversized, 413, "The body is larger"),
            (wrongType, 415, "Content-Type"),
        ]
        let rs = try d.send(cases.map(\.0))
        for (r, c) in zip(rs, cases) {
            #expect(r.status == c.1, "\(c.2): \(r.body)")
            #expect(r.error.hasPrefix(c.2), "\(c.2): \(r.body)")
            #expect(r.headers["content-type"] == "application/json")
        }
        #expect(try d.queueCounts()["total"]?.intValue == 0)
        // The server is still fine after all that.
        #expect(try d.send(d.trigger(#"{"template":"welcome","to":[{"email":"ana@example.org"}]}"#)).status == 202)
        d.stop()
    }

    @Test func sigtermDrainsAndExitsZero() throws {
        let d = try DaemonHarness()
        try d.start()
        #expect(try d.send(d.trigger(#"{"template":"welcome","to":[{"email":"ana@example.org"}]}"#)).status == 202)
        let (status, exited) = d.stop(SIGTERM)
        #expect(exited)
        #expect(status == 0)
        #expect(d.log.contains("<5>stopped"))
    }

    /// A drain answers what it received, but once its 5 s grace is over it hands nothing more to
    /// the group committer: a request waiting for the disk keeps the drain open, and one coming
    /// meanwhile on a keep-alive connection is refused at once. Taken, such requests keep the
    /// drain open for as long as they come, and one taken just as the server stops is answered on
    /// a connection libmicrohttpd has freed.
    @Test func aDrainTakesNoRequestAfterItsGrace() throws {
        let d = try DaemonHarness()
        try d.start()
        let r = try TestSupport.run(
            "python3", [DaemonHarness.client, "late", d.base, d.token, d.dir + "/data/outreach.db", String(d.pid)])
        #expect(r.status == 0, "\(r.stderr)")
        let out = try JSON.parse(r.stdout)
        // A was received before the SIGTERM: it waits for the disk and is stored.
        #expect(out["a"]?["status"]?.intValue == 202, "\(r.stdout)")
        // B came after the grace: refused at once, before the disk was free again (78 tenths).
        #expect(out["b"]?["status"]?.intValue == 503, "\(r.stdout)")
        #expect(out["b"]?["body"]?.stringValue?.contains("shutting down") == true, "\(r.stdout)")
        #expect((out["b"]?["tenths"]?.intValue ?? 99) < 78, "\(r.stdout)")
        let (status, exited) = d.stop(0)
        #expect(exited && status == 0, "\(d.log)")
        #expect(d.log.contains("<5>stopped"))
        #expect(try d.queueCounts()["total"]?.intValue == 1)
    }
}
