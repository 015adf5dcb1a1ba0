import Foundation
import Outreach
import Testing

/// Issue 19.8 through `outreachd serve`: the preferences link of a campaign mail as it arrived at
/// a real SMTP server, the page it opens (read with Python's html.parser), and its forms.
@Suite(.serialized)
struct PreferencesPageTests {
    /// The page as a browser sees it (Tests/peers/preferences_html.py).
    static func page(_ html: String) throws -> JSON {
        let r = try TestSupport.run(
            "python3", [TestSupport.packageRoot + "/Tests/peers/preferences_html.py"], stdin: Array(html.utf8))
        return try JSON.parse(r.stdout)
    }

    /// The preferences links of a mail's text and HTML parts, read with Python's email package.
    static func links(in mail: [UInt8], base: String) throws -> (text: String?, html: String?) {
        let file = TestSupport.temporaryDirectory("prefs-mail") + "/m.eml"
        _ = FileManager.default.createFile(atPath: file, contents: Data(mail))
        let r = try TestSupport.python(
            """
            import sys, json, re, email, email.policy
            m = email.message_from_binary_file(open(sys.argv[1], "rb"), policy=email.policy.default)
            def find(part):
                if part is None: return None
                hit = re.search(re.escape(sys.argv[2]) + r'/preferences/[A-Za-z0-9_.-]+', part.get_content())
                return hit.group(0) if hit else None
            print(json.dumps({"text": find(m.get_body(("plain",))), "html": find(m.get_body(("html",)))}))
            """, [file, base])
        let j = try JSON.parse(r.stdout)
        return (j["text"]?.stringValue, j["html"]?.stringValue)
    }

    static func post(_ d: DaemonHarness, _ path: String, _ form: [String: String]) throws -> DaemonHarness.Response {
        try d.send([
            "method": "POST", "path": .string(path), "form": .object(form.mapValues { .string($0) }),
        ])
    }

    @Test func aCampaignMailsPreferencesLinkShowsTheListsAndEveryChangeIsAConsentRow() throws {
        let smtp = try SMTPServer()
        let deadPort = TestSupport.freePort()
        let d = try DaemonHarness(
            channels: """
                [channels.mail]
                type = "smtp"
                url = "smtp://127.0.0.1:\(smtp.port)"
                tls = "none"

                [channels.slow]
                type = "smtp"
                url = "smtp://127.0.0.1:\(deadPort)"
                tls = "none"
                """)
        #expect(try d.cli(["lists", "create", "news", "--title", "Monthly news"]).status == 0)
        #expect(try d.cli(["lists", "create", "events", "--title", "Events"]).status == 0)
        #expect(try d.cli(["lists", "create", "club", "--public", "--title", "Book club"]).status == 0)
        #expect(try d.cli(["lists", "create", "board", "--title", "Board"]).status == 0)
        let shown = try JSON.parse(try d.cli(["lists", "show", "club", "--json"]).stdout)
        #expect(shown["public"] == .bool(true))
        #expect(try d.cli(["lists", "update", "board", "--no-public"]).status == 0)
        #expect(
            try d.cli(["contacts", "add", "--email", "ana@example.org", "--locale", "en", "--list", "news"]).status
                == 0)
        #expect(try d.cli(["lists", "subscribe", "events", "ana@example.org"]).status == 0)
        for (name, list, channel) in [("dec", "news", "mail"), ("gala", "events", "slow")] {
            let create = try d.cli([
                "campaigns", "create", name, "--template", "newsletter", "--list", list, "--channel", channel,
            ])
            #expect(create.status == 0, "\(create.stderr)")
            #expect(try d.cli(["campaigns", "start", name]).status == 0)
        }
        try d.start()
        try DaemonCrashTests.waitFor("the campaign mail", seconds: 30) { !smtp.messages().isEmpty }
        let (text, html) = try Self.links(in: smtp.messages()[0], base: d.base)
        let link = try #require(text)
        #expect(html == link)
        let path = String(link.dropFirst(d.base.count))
        let token = String(path.dropFirst("/preferences/".count))

        // GET shows the lists and changes nothing (link scanners fetch every URL).
        let get = try d.send(["method": "GET", "path": .string(path)])
        #expect(get.status == 200)
        let page = try Self.page(get.body)
        #expect(page["lang"]?.stringValue == "en" && page["dir"] == .null)
        let lists = (page["lists"]?.arrayValue ?? []).map {
            "\($0["action"]?.stringValue ?? "") \($0["name"]?.stringValue ?? ""): \($0["title"]?.stringValue ?? "")"
        }
        #expect(lists == ["leave events: Events", "leave news: Monthly news", "join club: Book club"], "\(lists)")
        #expect(page["text"]?.stringValue?.contains("ana@example.org") == true)
        let forms = page["forms"]?.arrayValue ?? []
        #expect(
            forms.allSatisfy { $0["method"]?.stringValue == "post" && $0["inputs"]?["token"]?.stringValue == token })
        let languages = forms.compactMap { $0["selects"]?["locale"]?.arrayValue }.first ?? []
        #expect(languages.contains("da") && languages.contains("en") && languages.contains("sv"), "\(languages)")
        #expect(try ConsentDaemonTests.membership(d, "ana@example.org", "events") == "subscribed")

        // The slow channel's mail of `events` waits; leaving `events` cancels it, not `news`.
        let pending = try JSON.parse(try d.cli(["queue", "list", "--json"]).stdout).arrayValue ?? []
        let gala = try #require(pending.first { $0["channel"]?.stringValue == "slow" })
        #expect(["queued", "failed", "sending"].contains(gala["state"]?.stringValue ?? ""), "\(gala)")
        let leave = try Self.post(d, path, ["token": token, "action": "leave", "list": "events"])
        #expect(leave.status == 200)
        #expect(try Self.page(leave.body)["text"]?.stringValue?.contains("You left Events") == true)
        #expect(try ConsentDaemonTests.membership(d, "ana@example.org", "events") == "unsubscribed")
        #expect(try ConsentDaemonTests.membership(d, "ana@example.org", "news") == "subscribed")
        #expect(
            try d.cli(["contacts", "show", "ana@example.org"]).stdout.contains(
                "events (unsubscribed, preferences page)"))
        try DaemonCrashTests.waitFor("the slow mail cancelled", seconds: 10) {
            let all =
                (try? JSON.parse(try d.cli(["queue", "list", "--state", "cancelled", "--json"]).stdout))?
                .arrayValue ?? []
            return all.contains { $0["id"] == gala["id"] && $0["cancel_reason"]?.stringValue == "unsubscribed" }
        }

        // Join a public list; a list that is not public is refused and nothing changes.
        #expect(try Self.post(d, path, ["token": token, "action": "join", "list": "club"]).status == 200)
        #expect(try ConsentDaemonTests.membership(d, "ana@example.org", "club") == "subscribed")
        let board = try Self.post(d, path, ["token": token, "action": "join", "list": "board"])
        #expect(board.status == 409)
        #expect(try Self.page(board.body)["text"]?.stringValue?.contains("is not a list you can join here") == true)
        #expect(try ConsentDaemonTests.membership(d, "ana@example.org", "board") == nil)

        // Language: Persian is written right to left; then Danish, which `contacts show` reflects.
        let fa = try Self.page(try Self.post(d, path, ["token": token, "action": "language", "locale": "fa"]).body)
        #expect(fa["lang"]?.stringValue == "fa" && fa["dir"]?.stringValue == "rtl")
        let da = try Self.post(d, path, ["token": token, "action": "language", "locale": "da"])
        #expect(da.status == 200)
        #expect(try Self.page(da.body)["lang"]?.stringValue == "da")
        #expect(try d.cli(["contacts", "show", "ana@example.org"]).stdout.contains("locale:    da"))
        #expect(try Self.post(d, path, ["token": token, "action": "language", "locale": "not a tag"]).status == 409)

        // Forged, wrong-purpose or incomplete requests change nothing.
        // One letter of the signature changed (its first: the last one's low bits are only padding).
        let dot = try #require(token.firstIndex(of: "."))
        let mac = token.index(after: dot)
        let forged =
            "/preferences/" + token[..<mac] + (token[mac] == "A" ? "B" : "A") + token[token.index(after: mac)...]
        #expect(try d.send(["method": "GET", "path": .string(forged)]).status == 404)
        #expect(
            try Self.post(d, forged, ["token": String(forged.dropFirst(13)), "action": "leave", "list": "news"]).status
                == 404)
        let unsubscribe = try DaemonLinkTests.signer(d).unsubscribeURL(list: "news", address: "ana@example.org")
        let asPreferences = "/preferences/" + unsubscribe.split(separator: "/").last!
        #expect(try Self.post(d, asPreferences, ["action": "leave", "list": "news"]).status == 404)
        #expect(try Self.post(d, path, ["action": "leave", "list": "news"]).status == 400)  // no hidden token
        #expect(try Self.post(d, path, ["token": "x", "action": "leave", "list": "news"]).status == 400)
        #expect(try ConsentDaemonTests.membership(d, "ana@example.org", "news") == "subscribed")

        // Every change is a row with its source and time.
        let export = try JSON.parse(try d.cli(["contacts", "export", "ana@example.org"]).stdout)
        let mine = (export["consent"]?.arrayValue ?? []).filter { $0["source"]?.stringValue == "preferences page" }
        #expect(
            mine.map { "\($0["list"]?.stringValue ?? "") \($0["state"]?.stringValue ?? "")" } == [
                "events unsubscribed", "club subscribed",
            ])
        let prefs = export["preferences"]?.arrayValue ?? []
        #expect(prefs.map { $0["value"]?.stringValue ?? "" } == ["fa", "da"])
        #expect(prefs.allSatisfy { $0["source"]?.stringValue == "preferences page" && $0["at"] != nil })
        d.stop()
    }

    /// The link is the person's own opt-in: a double opt-in list is joined without a confirmation
    /// mail, and their no to all mail is lifted by a link sent after it, never by an older one. The
    /// page speaks the browser's language when the contact has none (Arabic right to left).
    @Test func theLinkIsTheirOwnOptInButNotAgainstAnOlderNo() throws {
        let d = try DaemonHarness()
        #expect(
            try d.cli([
                "lists", "create", "weekly", "--double-opt-in", "--public", "--title", "Weekly",
                "--title", "it=Settimanale",
            ]).status == 0)
        #expect(try d.cli(["lists", "create", "club", "--public"]).status == 0)
        #expect(try d.cli(["lists", "create", "news"]).status == 0)
        #expect(
            try d.cli(["contacts", "add", "--email", "bo@example.org", "--phone", "+4520304050", "--list", "news"])
                .status == 0)
        let id = try #require(
            try JSON.parse(try d.cli(["contacts", "show", "bo@example.org", "--json"]).stdout)["id"]?.intValue)
        try d.start()
        let signer = try DaemonLinkTests.signer(d)
        func path(issuedAt: Int64, expires: Int64 = WallClock.nowMillis() / 1000 + 3600) -> String {
            "/preferences/"
                + signer.token(
                    LinkToken(
                        action: .preferences, list: "", address: "bo@example.org", expires: expires,
                        contactID: Int64(id), issuedAt: issuedAt))
        }
        let old = path(issuedAt: WallClock.nowMillis() - 60_000)
        let oldToken = String(old.dropFirst("/preferences/".count))

        let italian = try d.send([
            "method": "GET", "path": .string(old), "headers": ["Accept-Language": "it-IT,it;q=0.9"],
        ])
        let it = try Self.page(italian.body)
        #expect(it["lang"]?.stringValue == "it")
        let joinable = (it["lists"]?.arrayValue ?? []).filter { $0["action"]?.stringValue == "join" }
        #expect(joinable.map { $0["title"]?.stringValue ?? "" } == ["club", "Settimanale"])
        let radios = (it["forms"]?.arrayValue ?? []).compactMap { $0["radios"]?["channel"]?.arrayValue }.first
        #expect(radios == ["email", "sms"])
        let arabic = try Self.page(
            try d.send(["method": "GET", "path": .string(old), "headers": ["Accept-Language": "ar"]]).body)
        #expect(arabic["lang"]?.stringValue == "ar" && arabic["dir"]?.stringValue == "rtl")

        // Channel, then a double opt-in list joined at once: the link proves the mailbox.
        #expect(try Self.post(d, old, ["token": oldToken, "action": "channel", "channel": "sms"]).status == 200)
        #expect(try d.cli(["contacts", "show", "bo@example.org"]).stdout.contains("preferred: sms"))
        #expect(try Self.post(d, old, ["token": oldToken, "action": "join", "list": "weekly"]).status == 200)
        #expect(try ConsentDaemonTests.membership(d, "bo@example.org", "weekly") == "subscribed")
        #expect(try JSON.parse(try d.cli(["queue", "list", "--json"]).stdout).arrayValue == [])

        // Bo unsubscribes from all mail; the older link cannot undo that, a newer one can.
        let all = signer.unsubscribeURL(list: "", address: "bo@example.org")
        let one = try d.send([
            "method": "POST", "path": .string(String(all.dropFirst(d.base.count))),
            "form": ["List-Unsubscribe": "One-Click"],
        ])
        #expect(one.status == 200)
        let refused = try Self.post(d, old, ["token": oldToken, "action": "join", "list": "club"])
        #expect(refused.status == 409)
        #expect(try Self.page(refused.body)["text"]?.stringValue?.contains("We no longer send mail to") == true)
        #expect(try ConsentDaemonTests.membership(d, "bo@example.org", "club") == nil)
        let fresh = path(issuedAt: WallClock.nowMillis() + 1)
        let freshToken = String(fresh.dropFirst("/preferences/".count))
        #expect(try Self.post(d, fresh, ["token": freshToken, "action": "join", "list": "club"]).status == 200)
        #expect(try ConsentDaemonTests.membership(d, "bo@example.org", "club") == "subscribed")
        let shown = try JSON.parse(try d.cli(["suppressions", "show", "bo@example.org", "--json"]).stdout)
        #expect(shown["removals"]?.arrayValue?.last?["at_their_request"] == .bool(true), "\(shown)")
        // Their yes covered the club only: the lists their "no more mail" covered stay left.
        #expect(try ConsentDaemonTests.membership(d, "bo@example.org", "news") == "unsubscribed")
        #expect(try ConsentDaemonTests.membership(d, "bo@example.org", "weekly") == "unsubscribed")

        // An expired link: the expired page, nothing changes.
        let expired = path(issuedAt: WallClock.nowMillis(), expires: WallClock.nowMillis() / 1000 - 10)
        #expect(try d.send(["method": "GET", "path": .string(expired)]).status == 410)
        let late = try Self.post(
            d, expired, ["token": String(expired.dropFirst(13)), "action": "leave", "list": "club"])
        #expect(late.status == 410)
        #expect(try ConsentDaemonTests.membership(d, "bo@example.org", "club") == "subscribed")
        d.stop()
    }
}
