import Foundation
import Outreach
import Testing

/// Issue 15 through `outreachd serve`: confirmation links, the public form, one-click from a real
/// delivered mail, erase with the daemon holding the database, a hard bounce mid-queue.
@Suite(.serialized)
struct ConsentDaemonTests {
    static func membership(_ d: DaemonHarness, _ address: String, _ list: String) throws -> String? {
        try JSON.parse(try d.cli(["contacts", "show", address, "--json"]).stdout)["lists"]?[list]?.stringValue
    }

    /// The files in the outbox, oldest first (waits until there are at least `count`).
    static func outbox(_ d: DaemonHarness, atLeast count: Int) throws -> [String] {
        let dir = d.dir + "/data/outbox"
        var files: [String] = []
        try DaemonCrashTests.waitFor("\(count) outbox files", seconds: 20) {
            files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".eml") }
                .sorted { Int($0.dropLast(4)) ?? 0 < Int($1.dropLast(4)) ?? 0 }
            return files.count >= count
        }
        guard files.count >= count else { throw SMTPTestError(message: "only \(files.count) outbox files") }
        return files.map { dir + "/" + $0 }
    }

    /// The confirm link in a mail, read with Python's email package.
    static func confirmLink(_ d: DaemonHarness, in file: String) throws -> String {
        let text = try TestSupport.python(
            """
            import sys, email, email.policy
            m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
            print(m.get_body(("plain",)).get_content())
            """, [file]
        ).stdout
        let link = try #require(
            text.split(whereSeparator: { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" })
                .first { $0.hasPrefix(d.base + "/confirm/") })
        return String(link.dropFirst(d.base.count))
    }

    @Test func aConfirmLinkNeedsAPostAndAnOldOneCannotUndoAnUnsubscribe() throws {
        let d = try DaemonHarness(server: #"subscribe_rate = "100/m""#)
        #expect(try d.cli(["lists", "create", "club", "--double-opt-in"]).status == 0)
        try d.start()
        let signUp: JSON = [
            "method": "POST", "path": "/v1/lists/club/subscribe", "form": ["email": "bo@example.org", "name": "Bo"],
        ]
        #expect(try d.send(signUp).status == 202)
        let first = try Self.confirmLink(d, in: try Self.outbox(d, atLeast: 1)[0])

        // A scanner's GET shows a page with a button and changes nothing.
        let page = try d.send(["method": "GET", "path": .string(first)])
        #expect(page.status == 200)
        let form = try DaemonLinkTests.page(page.body)["forms"]?.arrayValue?.first
        #expect(form?["method"]?.stringValue == "post")
        #expect(try Self.membership(d, "bo@example.org", "club") == "pending")
        #expect(try d.send(["method": "POST", "path": .string(first), "form": ["confirm": "yes"]]).status == 200)
        #expect(try Self.membership(d, "bo@example.org", "club") == "subscribed")

        // Bo leaves; the old confirmation link, opened again, changes nothing.
        let unsubscribe = try DaemonLinkTests.signer(d).unsubscribeURL(list: "club", address: "bo@example.org")
        #expect(
            try d.send([
                "method": "POST", "path": .string(String(unsubscribe.dropFirst(d.base.count))),
                "form": ["List-Unsubscribe": "One-Click"],
            ]).status == 200)
        let replay = try d.send(["method": "POST", "path": .string(first), "form": ["confirm": "yes"]])
        #expect(replay.status == 409)
        _ = try d.send(["method": "GET", "path": .string(first)])
        #expect(try Self.membership(d, "bo@example.org", "club") == "unsubscribed")

        // Someone fills in the form with Bo's address: Bo stays unsubscribed and gets a confirmation.
        let again = try d.send(signUp)
        #expect(again.status == 202 && again.json?["status"]?.stringValue == "pending")
        #expect(try Self.membership(d, "bo@example.org", "club") == "unsubscribed")
        // Bo confirms that fresh link: their own opt-in.
        let second = try Self.confirmLink(d, in: try Self.outbox(d, atLeast: 2)[1])
        #expect(second != first)
        #expect(try d.send(["method": "POST", "path": .string(second), "form": ["confirm": "yes"]]).status == 200)
        #expect(try Self.membership(d, "bo@example.org", "club") == "subscribed")
        let consent =
            try JSON.parse(try d.cli(["contacts", "export", "bo@example.org"]).stdout)["consent"]?.arrayValue ?? []
        #expect(
            consent.map { $0["state"]?.stringValue ?? "" } == ["pending", "subscribed", "unsubscribed", "subscribed"],
            "\(consent)")
        d.stop()
    }

    /// A single-opt-in list: the form subscribes a newcomer at once, but never someone who left.
    @Test func theFormNeverLiftsAnUnsubscribe() throws {
        let d = try DaemonHarness(server: #"subscribe_rate = "100/m""#)
        #expect(try d.cli(["lists", "create", "news"]).status == 0)
        #expect(try d.cli(["lists", "subscribe", "news", "ana@example.org"]).status == 0)
        #expect(try d.cli(["lists", "unsubscribe", "news", "ana@example.org"]).status == 0)
        try d.start()
        let rs = try d.send([
            ["method": "POST", "path": "/v1/lists/news/subscribe", "form": ["email": "new@example.org"]],
            ["method": "POST", "path": "/v1/lists/news/subscribe", "form": ["email": "ana@example.org"]],
        ])
        #expect(rs[0].status == 200 && rs[0].json?["status"]?.stringValue == "subscribed")
        #expect(rs[1].status == 202 && rs[1].json?["status"]?.stringValue == "pending")
        #expect(try Self.membership(d, "new@example.org", "news") == "subscribed")
        #expect(try Self.membership(d, "ana@example.org", "news") == "unsubscribed")
        // The confirmation went to Ana, so only Ana can bring herself back.
        let mail = try Self.outbox(d, atLeast: 1)[0]
        #expect(try String(contentsOfFile: mail, encoding: .utf8).contains("ana@example.org"))
        d.stop()
    }

    /// One-click from a campaign mail as it arrived at a real SMTP server: exactly that list changes.
    @Test func oneClickFromADeliveredMailLeavesExactlyThatList() throws {
        let smtp = try SMTPServer()
        let d = try DaemonHarness(
            channels: """
                [channels.mail]
                type = "smtp"
                url = "smtp://127.0.0.1:\(smtp.port)"
                tls = "none"
                """)
        for l in ["news", "events"] { #expect(try d.cli(["lists", "create", l]).status == 0) }
        #expect(try d.cli(["lists", "subscribe", "news", "ana@example.org", "bo@example.org"]).status == 0)
        #expect(try d.cli(["lists", "subscribe", "events", "ana@example.org"]).status == 0)
        #expect(
            try d.cli(["campaigns", "create", "dec", "--template", "newsletter", "--list", "news", "--channel", "mail"])
                .status == 0)
        #expect(try d.cli(["campaigns", "start", "dec"]).status == 0)
        try d.start()
        try DaemonCrashTests.waitFor("two campaign mails", seconds: 30) { smtp.messages().count >= 2 }
        let mails = smtp.messages()
        let dir = TestSupport.temporaryDirectory("oneclick")
        var headers: [JSON] = []
        for (i, m) in mails.enumerated() {
            _ = FileManager.default.createFile(atPath: dir + "/\(i).eml", contents: Data(m))
            let r = try TestSupport.python(
                """
                import sys, json, email, email.policy
                m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
                print(json.dumps({"to": str(m["To"]), "lu": str(m["List-Unsubscribe"]), "post": str(m["List-Unsubscribe-Post"])}))
                """, [dir + "/\(i).eml"])
            headers.append(try JSON.parse(r.stdout))
        }
        let ana = try #require(headers.first { ($0["to"]?.stringValue ?? "").contains("ana@example.org") })
        #expect(ana["post"]?.stringValue == "List-Unsubscribe=One-Click")
        let lu = ana["lu"]?.stringValue ?? ""
        let url = try #require(
            lu.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " <>")) }
                .first { $0.hasPrefix("http") })
        #expect(url.hasPrefix(d.base + "/unsubscribe/"))
        // What a mail provider sends for one-click (RFC 8058).
        let r = try d.send([
            "method": "POST", "path": .string(String(url.dropFirst(d.base.count))),
            "form": ["List-Unsubscribe": "One-Click"],
        ])
        #expect(r.status == 200)
        #expect(try Self.membership(d, "ana@example.org", "news") == "unsubscribed")
        #expect(try Self.membership(d, "ana@example.org", "events") == "subscribed")
        #expect(try Self.membership(d, "bo@example.org", "news") == "subscribed")
        d.stop()
    }

    /// Erase while `serve` holds the database open: within seconds the person is in none of the
    /// raw bytes of the database, its log, its shared memory or the outbox; a re-import stays suppressed.
    @Test func eraseLeavesNoTraceOnDiskWhileTheDaemonRuns() throws {
        let d = try DaemonHarness()
        let email = "zoltan.qwyx@example.org", phone = "+4529384756", name = "Zoltan Qwyxbrandt"
        #expect(try d.cli(["lists", "create", "news"]).status == 0)
        #expect(
            try d.cli(["contacts", "add", "--email", email, "--phone", phone, "--name", name, "--list", "news"]).status
                == 0)
        try d.start()
        let body =
            #"{"template":"welcome","to":[{"email":"\#(email)","name":"\#(name)"}],"data":{"note":"for \#(name)"}}"#
        #expect(try d.send(d.trigger(body)).status == 202)
        #expect(try d.send(d.trigger(#"{"template":"welcome","to":[{"contact":"\#(email)"}]}"#)).status == 202)
        _ = try Self.outbox(d, atLeast: 2)
        let erase = try d.cli(["contacts", "erase", email])
        #expect(erase.status == 0, "\(erase.stderr)")
        let needles = [email, phone, name, "zoltan", "4529384756"].map { Array($0.utf8) }
        func hits() -> [String] {
            var found: [String] = []
            let data = d.dir + "/data"
            var files = ["outreach.db", "outreach.db-wal", "outreach.db-shm"].map { data + "/" + $0 }
            files += ((try? FileManager.default.contentsOfDirectory(atPath: data + "/outbox")) ?? []).map {
                data + "/outbox/" + $0
            }
            for f in files {
                guard let bytes = FileManager.default.contents(atPath: f) else { continue }
                let lower = Array(bytes).map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }
                for n in needles where lower.firstRange(of: n.map { $0 >= 65 && $0 <= 90 ? $0 + 32 : $0 }) != nil {
                    found.append("\(f): \(String(decoding: n, as: UTF8.self))")
                }
            }
            return found
        }
        try DaemonCrashTests.waitFor("no trace of the person on disk", seconds: 10) { hits().isEmpty }
        #expect(hits().isEmpty, "\(hits())")
        // The daemon still works, and the person imported again stays unreachable.
        #expect(try d.send(["method": "GET", "path": "/healthz"]).status == 200)
        try "email,name\n\(email),Again\n".write(toFile: d.dir + "/again.csv", atomically: true, encoding: .utf8)
        #expect(try d.cli(["contacts", "import", d.dir + "/again.csv", "--list", "news"]).status == 0)
        let id = try #require(
            try d.send(d.trigger(#"{"template":"welcome","to":[{"email":"\#(email)"}]}"#)).json?["id"]?.intValue)
        let get = try d.send([
            "method": "GET", "path": .string("/v1/messages/\(id)"),
            "headers": ["Authorization": .string("Bearer " + d.token)],
        ])
        #expect(get.json?["deliveries"]?.arrayValue?.first?["state"]?.stringValue == "suppressed", "\(get.body)")
        d.stop()
    }

    /// A 550 on one delivery cancels the other deliveries queued to that address on that kind of channel.
    @Test func aHardBounceCancelsThePersonsOtherQueuedMail() throws {
        let smtp = try SMTPServer(rejectRecipients: ["gone@example.org": "550 5.1.1 No such user"])
        let d = try DaemonHarness(
            channels: """
                [channels.mail]
                type = "smtp"
                url = "smtp://127.0.0.1:\(smtp.port)"
                tls = "none"
                """)
        #expect(try d.cli(["lists", "create", "news"]).status == 0)
        #expect(try d.cli(["lists", "subscribe", "news", "gone@example.org", "ok@example.org"]).status == 0)
        let at = WallClock.rfc3339(WallClock.nowMillis() + 3_600_000)
        let c = try d.cli([
            "campaigns", "create", "later", "--template", "newsletter", "--list", "news", "--channel", "mail", "--at",
            at,
        ])
        #expect(c.status == 0, "\(c.stderr)")
        #expect(try d.cli(["campaigns", "start", "later"]).status == 0)
        let send = try d.cli(["send", "welcome", "--to", "gone@example.org", "--channel", "mail"])
        #expect(send.status != 0 || send.stdout.contains("dead"), "\(send.stdout) \(send.stderr)")
        let s = try JSON.parse(try d.cli(["campaigns", "status", "later", "--json"]).stdout)
        #expect(s["cancelled"] == JSON(1) && s["queued"] == JSON(1), "\(s)")
        #expect(s["cancelled_reasons"]?["suppressed"] == JSON(1), "\(s)")
        let dead = try JSON.parse(try d.cli(["queue", "list", "--state", "cancelled", "--json"]).stdout)
        #expect(dead.arrayValue?.first?["address"]?.stringValue == "gone@example.org", "\(dead)")
    }
}
