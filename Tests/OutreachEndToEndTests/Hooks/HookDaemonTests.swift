import Foundation
import Outreach
import OutreachTestFixtures
import Testing

/// `[hooks.NAME]` through `serve`: a real SMTP server (aiosmtpd) takes the mail, and an HTTP
/// recorder stands for the CRM; Python's standardwebhooks package checks every signature, and
/// Python's json module reads every body (Tests/peers/http_recorder.py).
@Suite struct HookDaemonTests {
    /// 24 random bytes, as Standard Webhooks asks.
    let secret = ChannelSections.newSecret()

    /// A daemon sending mail through `smtp` and posting `events` to `crm`.
    func daemon(smtp: SMTPServer, crm: String, events: [String]) throws -> DaemonHarness {
        let d = try DaemonHarness(
            channels: """
                [sender]
                from = "Outreach <news@example.org>"

                [channels.mail]
                type = "smtp"
                url = "smtp://127.0.0.1:\(smtp.port)"
                tls = "none"

                [hooks.crm]
                url = "\(crm)/outreach"
                events = [\(events.map { "\"\($0)\"" }.joined(separator: ", "))]
                signing_secret_file = "crm.secret"
                retry_base = "1s"
                retry_max = "1s"
                """)
        try (secret + "\n").write(toFile: d.dir + "/crm.secret", atomically: true, encoding: .utf8)
        return d
    }

    /// The hook's deliveries as `queue list --json` shows them.
    func hookDeliveries(_ d: DaemonHarness) throws -> [JSON] {
        let r = try d.cli(["queue", "list", "--json", "--limit", "1000"])
        return (try JSON.parse(r.stdout).arrayValue ?? []).filter { $0["channel"] == "hook:crm" }
    }

    @Test func aSentMessageIsPostedSignedAndTheRetryKeepsItsID() throws {
        let smtp = try SMTPServer()
        let crm = try HTTPRecorder(
            responses: #"[{"status": 500, "body": "busy"}, {"status": 200, "body": "ok"}]"#, secret: secret)
        let d = try daemon(smtp: smtp, crm: crm.url, events: ["delivery.sent"])
        try d.start()
        let accepted = try d.send(d.trigger(#"{"template":"welcome","to":[{"email":"ana@example.org"}]}"#))
        #expect(accepted.status == 202)
        try TestSupport.waitFor("the mail at the SMTP server") { smtp.messages().count == 1 }
        try TestSupport.waitFor("the hook's delivery posted") {
            try hookDeliveries(d).first?["state"] == "sent"
        }
        let posts = crm.requests()
        try #require(posts.count == 2, "\(posts.map(\.record))")
        // Refused once (500), posted again with the same id: one event, two attempts.
        #expect(posts.allSatisfy { $0.signature == "ok" }, "\(posts.map { $0.signature ?? "unsigned" })")
        #expect(posts[0].header("webhook-id") == posts[1].header("webhook-id"))
        #expect(posts[0].header("webhook-id")?.hasPrefix("evt_") == true)
        #expect(posts[0].body == posts[1].body)
        #expect(posts.allSatisfy { $0.method == "POST" && $0.path == "/outreach" })
        #expect(posts[0].header("content-type") == "application/json")
        let event = try #require(posts[1].json)
        #expect(event["type"] == "delivery.sent")
        #expect(Timestamps.parse(event["timestamp"]?.stringValue ?? "") != nil)
        let data = try #require(event["data"])
        let mail = try JSON.parse(try d.cli(["queue", "list", "--json"]).stdout).arrayValue?
            .first { $0["channel"] == "mail" }
        #expect(data["delivery_id"] == mail?["id"] && data["message_id"] == mail?["message"])
        #expect(data["address"] == "ana@example.org" && data["channel"] == "mail" && data["state"] == "sent")
        #expect(data["template"] == "welcome" && data["kind"] == "transactional")
        let hook = try hookDeliveries(d)
        #expect(hook.count == 1 && hook[0]["attempts"]?.intValue == 2 && hook[0]["address"] == "delivery.sent")
        // The text list names the event's id, to find the post at the receiver.
        let text = try d.cli(["queue", "list"]).stdout
        let id = try #require(posts[0].header("webhook-id"))
        #expect(text.contains("\tsent\thook:crm\tdelivery.sent\tattempts=2\twebhook-id=\(id)\t"), "\(text)")
        #expect(d.stop().status == 0)
        #expect(crm.requests().count == 2)
        #expect(d.log.contains("hook crm posts delivery.sent"), "\(d.log)")
    }

    /// The number in `evt_N`: events are numbered as they were recorded.
    func eventNumber(_ r: HTTPRecorder.Request) -> Int { Int(r.header("webhook-id")?.dropFirst(4) ?? "") ?? 0 }

    @Test func membershipChangesMadeAtTheCLIArePosted() throws {
        let smtp = try SMTPServer()
        let crm = try HTTPRecorder(secret: secret)
        let d = try daemon(smtp: smtp, crm: crm.url, events: ["contact.unsubscribed", "contact.subscribed"])
        try d.start()
        #expect(try d.cli(["lists", "create", "news"]).status == 0)
        #expect(try d.cli(["contacts", "add", "--email", "bo@example.org", "--list", "news"]).status == 0)
        #expect(try d.cli(["lists", "unsubscribe", "news", "bo@example.org"]).status == 0)
        // Unsubscribing again changes nothing and tells nothing.
        #expect(try d.cli(["lists", "unsubscribe", "news", "bo@example.org"]).status == 0)
        try TestSupport.waitFor("both changes posted") {
            try hookDeliveries(d).filter { $0["state"] == "sent" }.count == 2
        }
        let posts = crm.requests()
        #expect(posts.count == 2 && posts.allSatisfy { $0.signature == "ok" })
        // Posted side by side, so in no promised order; the ids say which came first.
        let ordered = posts.sorted { eventNumber($0) < eventNumber($1) }
        #expect(ordered.compactMap { $0.json?["type"]?.stringValue } == ["contact.subscribed", "contact.unsubscribed"])
        let left = try #require(ordered.last?.json?["data"])
        #expect(left["email"] == "bo@example.org" && left["list"] == "news" && left["state"] == "unsubscribed")
        #expect(left["previous_state"] == "subscribed" && left["source"] == "cli")
        #expect(Set(posts.compactMap { $0.header("webhook-id") }).count == 2)
        #expect(d.stop().status == 0)
    }

    /// The daemon is killed after the change and before the post; another change is made while it
    /// is down. After the restart each is posted once: the events were on disk with the changes.
    @Test func eventsOutliveASIGKILLAndArePostedOnce() throws {
        let smtp = try SMTPServer()
        let port = TestSupport.freePort()
        let d = try daemon(
            smtp: smtp, crm: "http://127.0.0.1:\(port)", events: ["delivery.sent", "contact.unsubscribed"])
        #expect(try d.cli(["lists", "create", "news"]).status == 0)
        #expect(try d.cli(["contacts", "add", "--email", "cy@example.org", "--list", "news"]).status == 0)
        try d.start()
        #expect(try d.send(d.trigger(#"{"template":"welcome","to":[{"email":"cy@example.org"}]}"#)).status == 202)
        // Nothing listens at the CRM's port: the post is tried and waits for it.
        try TestSupport.waitFor("the hook's first attempt to fail") {
            try hookDeliveries(d).first?["last_error"]?.stringValue?.contains("hook crm") == true
        }
        #expect(!d.stop(SIGKILL).exited)
        #expect(try d.cli(["lists", "unsubscribe", "news", "cy@example.org"]).status == 0)

        let crm = try HTTPRecorder(secret: secret, port: port)
        try d.start()
        try TestSupport.waitFor("both events posted") {
            try hookDeliveries(d).filter { $0["state"] == "sent" }.count == 2
        }
        #expect(d.stop().status == 0)
        let posts = crm.requests()
        #expect(posts.count == 2, "\(posts.map(\.body))")
        #expect(Set(posts.compactMap { $0.header("webhook-id") }).count == 2)
        #expect(Set(posts.compactMap { $0.json?["type"]?.stringValue }) == ["delivery.sent", "contact.unsubscribed"])
        #expect(posts.allSatisfy { $0.signature == "ok" })
    }

    @Test func checkNamesABadHookAndNeverItsSecret() throws {
        let smtp = try SMTPServer()
        let d = try daemon(smtp: smtp, crm: "http://127.0.0.1:9", events: ["delivery.sent", "delivery.opened"])
        let r = try d.cli(["check"])
        #expect(r.status == 1)
        let config = try String(contentsOfFile: d.configPath, encoding: .utf8)
        let line =
            try #require(
                config.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
                    $0.hasPrefix("events =")
                }) + 1
        #expect(
            r.stderr.contains(
                "outreachd.conf:\(line): 'events' of [hooks.crm] has \"delivery.opened\", which is not an event type"),
            "\(r.stderr)")
        #expect(!r.stderr.contains(secret) && !r.stdout.contains(secret))
        // Fixed, it passes and counts the hook.
        let fixed = config.replacingOccurrences(of: #", "delivery.opened""#, with: "")
        try fixed.write(toFile: d.configPath, atomically: true, encoding: .utf8)
        let ok = try d.cli(["check"])
        #expect(ok.status == 0 && ok.stdout.contains("1 channel, 1 hook,"), "\(ok.stdout) \(ok.stderr)")
    }

    /// SIGHUP treats hooks as it treats channels: a bad one fails the reload (the running hooks go
    /// on), a change is said to need a restart.
    @Test func sighupRefusesABadHookAndSaysAChangeNeedsARestart() throws {
        let smtp = try SMTPServer()
        let d = try daemon(smtp: smtp, crm: "http://127.0.0.1:9", events: ["delivery.sent"])
        try d.start()
        let original = try String(contentsOfFile: d.configPath, encoding: .utf8)
        try original.replacingOccurrences(of: #""delivery.sent""#, with: #""delivery.opened""#)
            .write(toFile: d.configPath, atomically: true, encoding: .utf8)
        kill(d.pid, SIGHUP)
        try TestSupport.waitFor("the refused reload") { d.log.contains("reload failed") }
        #expect(d.log.contains("'events' of [hooks.crm] has \"delivery.opened\""), "\(d.log)")
        try original.replacingOccurrences(of: #""delivery.sent""#, with: #""delivery.sent", "delivery.failed""#)
            .write(toFile: d.configPath, atomically: true, encoding: .utf8)
        kill(d.pid, SIGHUP)
        try TestSupport.waitFor("the reload") { d.log.contains("reloaded the configuration") }
        #expect(d.log.contains("[hooks] were added, removed or changed in the configuration; restart outreachd"))
        #expect(!d.log.contains(secret))
        #expect(d.stop().status == 0)
    }
}
