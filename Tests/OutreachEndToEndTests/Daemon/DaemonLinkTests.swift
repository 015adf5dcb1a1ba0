import Foundation
import Outreach
import Testing

/// Sign-up, confirmation and unsubscribe links against the real daemon; pages read with Python's
/// html.parser, membership read back with the CLI.
@Suite(.serialized)
struct DaemonLinkTests {
    static func page(_ html: String) throws -> JSON {
        let r = try TestSupport.run(
            "python3", [TestSupport.packageRoot + "/Tests/peers/daemon_html.py"], stdin: Array(html.utf8))
        return try JSON.parse(r.stdout)
    }

    static func membership(_ d: DaemonHarness, _ address: String, _ list: String) throws -> String? {
        let r = try d.cli(["contacts", "show", address, "--json"])
        return try JSON.parse(r.stdout)["lists"]?[list]?.stringValue
    }

    /// The unsubscribe URL the daemon's own signer would put in a mail (same key file in the data folder).
    static func signer(_ d: DaemonHarness) throws -> LinkSigner {
        try LinkSigner.load(config: try Config.read(path: d.configPath))
    }

    @Test func getShowsAButtonAndOnlyOneClickPostUnsubscribes() throws {
        let d = try DaemonHarness()
        #expect(try d.cli(["lists", "create", "news"]).status == 0)
        #expect(try d.cli(["contacts", "add", "--email", "ana@example.org", "--locale", "da"]).status == 0)
        #expect(try d.cli(["lists", "subscribe", "news", "ana@example.org"]).status == 0)
        try d.start()
        let url = try Self.signer(d).unsubscribeURL(list: "news", address: "ana@example.org")
        let path = String(url.dropFirst(d.base.count))

        // Fetching the link (as a scanner would) changes nothing.
        let rs = try d.send([
            ["method": "GET", "path": .string(path)],
            ["method": "GET", "path": .string(path), "headers": ["Accept-Language": "sv"]],
        ])
        #expect(rs[0].status == 200)
        #expect(try Self.membership(d, "ana@example.org", "news") == "subscribed")
        let page = try Self.page(rs[0].body)
        // The contact's locale (da) wins over the browser's.
        #expect(page["lang"]?.stringValue == "da")
        let form = try #require(page["forms"]?.arrayValue?.first)
        #expect(form["method"]?.stringValue == "post")
        #expect(form["inputs"]?["List-Unsubscribe"]?.stringValue == "One-Click")
        #expect(form["buttons"]?.arrayValue?.first?.stringValue == "Afmeld")

        // A POST without the RFC 8058 body, and a tampered token, change nothing either.
        let refused = try d.send([
            ["method": "POST", "path": .string(path), "form": ["something": "else"]],
            ["method": "POST", "path": .string(path.dropLast(2) + "xx"), "form": ["List-Unsubscribe": "One-Click"]],
        ])
        #expect(refused[0].status == 400)
        #expect(refused[1].status == 404)
        #expect(try Self.membership(d, "ana@example.org", "news") == "subscribed")

        // What a mail provider sends for one-click.
        let done = try d.send(["method": "POST", "path": .string(path), "form": ["List-Unsubscribe": "One-Click"]])
        #expect(done.status == 200)
        #expect(try Self.membership(d, "ana@example.org", "news") == "unsubscribed")
        let export = try JSON.parse(try d.cli(["contacts", "export", "ana@example.org"]).stdout)
        let last = try #require(export["consent"]?.arrayValue?.last)
        #expect(last["state"]?.stringValue == "unsubscribed")
        #expect(last["source"]?.stringValue == "one-click")
        d.stop()
    }

    @Test func doubleOptInSendsAConfirmationWhoseLinkSubscribes() throws {
        let d = try DaemonHarness(server: #"subscribe_rate = "2/h""#)
        #expect(try d.cli(["lists", "create", "club", "--double-opt-in"]).status == 0)
        try d.start()
        let rs = try d.send([
            [
                "method": "POST", "path": "/v1/lists/club/subscribe",
                "form": ["email": "Bo@Example.org", "name": "Bo", "locale": "sv"],
            ],
            ["method": "POST", "path": "/v1/lists/nope/subscribe", "form": ["email": "x@example.org"]],
            ["method": "POST", "path": "/v1/lists/club/subscribe", "form": ["email": "y@example.org"]],
        ])
        #expect(rs[0].status == 202)
        #expect(rs[0].json?["status"]?.stringValue == "pending")
        #expect(rs[1].status == 404)
        #expect(rs[2].status == 429)
        #expect(Int(rs[2].headers["retry-after"] ?? "") ?? 0 > 0)
        #expect(try Self.membership(d, "bo@example.org", "club") == "pending")

        // The confirmation reaches the outbox with a confirm link in it (read with Python's email package).
        let outbox = d.dir + "/data/outbox"
        var file: String?
        for _ in 0..<200 {
            file = try? FileManager.default.contentsOfDirectory(atPath: outbox).first { !$0.hasPrefix(".") }
            if file != nil { break }
            usleep(50_000)
        }
        let mail = try #require(file)
        let text = try TestSupport.python(
            """
            import sys, email, email.policy
            m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
            print(m.get_body(("plain",)).get_content() if m.is_multipart() or m.get_content_type() == "text/plain" else m.get_content())
            """, [outbox + "/" + mail]
        ).stdout
        let link = try #require(
            text.split(whereSeparator: { $0.isWhitespace || $0 == "\"" || $0 == "<" || $0 == ">" })
                .first { $0.hasPrefix(d.base + "/confirm/") })
        // Opening the link shows a button; its POST confirms (issue 15: scanners only GET).
        let shown = try d.send(["method": "GET", "path": .string(String(link.dropFirst(d.base.count)))])
        #expect(shown.status == 200)
        #expect(try Self.membership(d, "bo@example.org", "club") == "pending")
        let confirmed = try d.send([
            "method": "POST", "path": .string(String(link.dropFirst(d.base.count))), "form": ["confirm": "yes"],
        ])
        #expect(confirmed.status == 200)
        #expect(try Self.page(confirmed.body)["lang"]?.stringValue == "sv")
        #expect(try Self.membership(d, "bo@example.org", "club") == "subscribed")
        d.stop()
    }
}
