import Foundation
import Outreach
import Testing

/// Issue 19.7 through `outreachd serve`: a sign-up form on a real web page. A browser's form post
/// is sent on to a thank-you page, a page's script may post when its origin is allowed, the form's
/// declared fields reach the contact (after the person's confirmation on a double opt-in list),
/// the per-address limit can be raised for a sign-up table, and the built-in pages exist in every
/// starter-template language.
@Suite(.serialized)
struct SignUpFormTests {
    static let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

    static func form(_ list: String, _ fields: [String: JSON], headers: [String: JSON] = [:]) -> JSON {
        [
            "method": "POST", "path": .string("/v1/lists/\(list)/subscribe"), "form": .object(fields),
            "headers": .object(headers),
        ]
    }

    static func contact(_ d: DaemonHarness, _ address: String) throws -> JSON {
        try JSON.parse(try d.cli(["contacts", "show", address, "--json"]).stdout)
    }

    @Test func aBrowserIsSentToTheThankYouPageAndAPIClientsStillGetJSON() throws {
        let d = try DaemonHarness(server: #"subscribe_rate = "100/m""#)
        #expect(
            try d.cli(["lists", "create", "news", "--thank-you-url", "https://www.example.org/thanks?x=1"]).status == 0)
        #expect(
            try d.cli(["lists", "create", "club", "--double-opt-in", "--title", "Club", "--title", "de=Verein"])
                .status == 0)
        let bad = try d.cli(["lists", "update", "news", "--thank-you-url", "ftp://www.example.org/"])
        #expect(bad.status != 0 && bad.stderr.contains("--thank-you-url"), "\(bad.stderr)")
        let shown = try JSON.parse(try d.cli(["lists", "show", "news", "--json"]).stdout)
        #expect(shown["thank_you_url"]?.stringValue == "https://www.example.org/thanks?x=1")
        #expect(try d.cli(["lists", "show", "news"]).stdout.contains("thank-you page: https://www.example.org/thanks"))
        try d.start()

        let rs = try d.send([
            Self.form("news", ["email": "a@example.org"], headers: ["Accept": .string(Self.browser)]),
            Self.form("news", ["email": "b@example.org"], headers: ["Accept": "application/json"]),
            Self.form("news", ["email": "c@example.org"]),
            // No thank-you URL: the built-in page, in the form's locale, else the browser's language.
            Self.form(
                "club", ["email": "d@example.org", "locale": "de"],
                headers: ["Accept": .string(Self.browser), "Accept-Language": "sv"]),
            Self.form("club", ["email": "e@example.org"], headers: ["Accept": "text/html", "Accept-Language": "sv"]),
            // Errors for a browser are pages too.
            Self.form("news", ["email": "not an address"], headers: ["Accept": .string(Self.browser)]),
            Self.form("nope", ["email": "f@example.org"], headers: ["Accept": .string(Self.browser)]),
            Self.form("news", ["email": "not an address"]),
            Self.form("club", ["email": "g@example.org", "locale": "ar"], headers: ["Accept": "text/html"]),
        ])
        #expect(rs[0].status == 303)
        #expect(rs[0].headers["location"] == "https://www.example.org/thanks?x=1")
        #expect(rs[1].status == 200 && rs[1].json?["status"]?.stringValue == "subscribed")
        #expect(rs[2].status == 200 && rs[2].json?["status"]?.stringValue == "subscribed")
        #expect(rs[3].status == 202 && rs[3].headers["content-type"]?.hasPrefix("text/html") == true)
        let de = try DaemonLinkTests.page(rs[3].body)
        #expect(de["lang"]?.stringValue == "de")
        #expect(de["text"]?.stringValue?.contains("d@example.org") == true)
        #expect(de["text"]?.stringValue?.contains("Verein") == true, "\(de)")
        #expect(try DaemonLinkTests.page(rs[4].body)["lang"]?.stringValue == "sv")
        #expect(rs[5].status == 400 && rs[5].headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(try DaemonLinkTests.page(rs[5].body)["text"]?.stringValue?.contains("email:") == true)
        #expect(rs[6].status == 404 && rs[6].headers["content-type"]?.hasPrefix("text/html") == true)
        #expect(rs[7].status == 400 && rs[7].error.hasPrefix("email:"))
        let ar = try DaemonLinkTests.page(rs[8].body)
        #expect(ar["lang"]?.stringValue == "ar" && ar["dir"]?.stringValue == "rtl", "\(ar)")
        #expect(ar["text"]?.stringValue?.contains("g@example.org") == true)
        for a in ["a", "b", "c"] {
            #expect(try ConsentDaemonTests.membership(d, "\(a)@example.org", "news") == "subscribed")
        }
        #expect(try ConsentDaemonTests.membership(d, "d@example.org", "club") == "pending")
        d.stop()
    }

    @Test func onlyAllowedOriginsGetCORSAndOnlyOnTheSignUpEndpoint() throws {
        let d = try DaemonHarness(server: #"allowed_origins = ["https://www.example.org"]"#)
        #expect(try d.cli(["lists", "create", "news"]).status == 0)
        try d.start()
        let path: JSON = "/v1/lists/news/subscribe"
        let preflight: [String: JSON] = [
            "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type",
        ]
        var allowed = preflight
        allowed["Origin"] = "https://www.example.org"
        var other = preflight
        other["Origin"] = "https://evil.example.net"
        let rs = try d.send([
            ["method": "OPTIONS", "path": path, "headers": .object(allowed)],
            ["method": "OPTIONS", "path": path, "headers": .object(other)],
            Self.form("news", ["email": "a@example.org"], headers: ["Origin": "https://www.example.org"]),
            Self.form("news", ["email": "b@example.org"], headers: ["Origin": "https://evil.example.net"]),
            Self.form("news", ["email": "bad"], headers: ["Origin": "https://www.example.org"]),
            ["method": "OPTIONS", "path": "/v1/messages", "headers": .object(allowed)],
        ])
        #expect(rs[0].status == 204)
        #expect(rs[0].headers["access-control-allow-origin"] == "https://www.example.org")
        #expect(rs[0].headers["access-control-allow-methods"] == "POST")
        #expect(rs[0].headers["access-control-allow-headers"]?.lowercased() == "content-type")
        #expect(rs[0].headers["access-control-max-age"] != nil)
        #expect(rs[1].status == 403 && rs[1].headers["access-control-allow-origin"] == nil)
        #expect(rs[2].status == 200 && rs[2].headers["access-control-allow-origin"] == "https://www.example.org")
        // The browser blocks the answer to a page it was not meant for (the server cannot stop the post).
        #expect(rs[3].headers["access-control-allow-origin"] == nil)
        #expect(rs[4].status == 400 && rs[4].headers["access-control-allow-origin"] == "https://www.example.org")
        // The authenticated API has no CORS at all.
        #expect(rs[5].status == 405 && rs[5].headers["access-control-allow-origin"] == nil)
        d.stop()
    }

    @Test func checkRefusesAnOriginWithAPath() throws {
        let d = try DaemonHarness(server: #"allowed_origins = ["https://www.example.org/signup"]"#)
        let r = try d.cli(["check"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("allowed_origins") && r.stderr.contains("without a path"), "\(r.stderr)")
    }

    /// A form filled in by someone else changes nothing of an existing contact until the person
    /// confirms by the link in their own mailbox.
    @Test func declaredFieldsReachTheContactOnlyWhenThePersonConfirms() throws {
        let d = try DaemonHarness(server: #"subscribe_rate = "100/m""#)
        #expect(try d.cli(["lists", "create", "club", "--double-opt-in", "--form-fields", "country,role"]).status == 0)
        #expect(try d.cli(["lists", "create", "news", "--form-fields", "country"]).status == 0)
        let own = try d.cli(["lists", "update", "news", "--form-fields", "country,email"])
        #expect(own.status != 0 && own.stderr.contains("'email'"), "\(own.stderr)")
        #expect(try d.cli(["lists", "show", "club"]).stdout.contains("form fields: country, role"))
        #expect(
            try d.cli(["contacts", "add", "--email", "ana@example.org", "--attr", "role=teacher"]).status == 0)
        try d.start()

        // Multipart, as a browser sends a form with enctype="multipart/form-data".
        let boundary = "----formboundary19"
        var body = ""
        for (k, v) in [("email", "ana@example.org"), ("country", "it"), ("role", "student"), ("secret", "x")] {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n"
        }
        body += "--\(boundary)--\r\n"
        let r = try d.send([
            "method": "POST", "path": "/v1/lists/club/subscribe", "body": .string(body),
            "headers": ["Content-Type": .string("multipart/form-data; boundary=\(boundary)")],
        ])
        #expect(r.status == 202, "\(r.body)")
        var ana = try Self.contact(d, "ana@example.org")
        #expect(ana["attributes"]?["role"]?.stringValue == "teacher")
        #expect(ana["attributes"]?["country"] == nil)

        let link = try ConsentDaemonTests.confirmLink(d, in: try ConsentDaemonTests.outbox(d, atLeast: 1)[0])
        #expect(try d.send(["method": "POST", "path": .string(link), "form": ["confirm": "yes"]]).status == 200)
        ana = try Self.contact(d, "ana@example.org")
        #expect(ana["attributes"]?["role"]?.stringValue == "student", "\(ana)")
        #expect(ana["attributes"]?["country"]?.stringValue == "IT")
        #expect(ana["attributes"]?["secret"] == nil)
        #expect(try d.cli(["contacts", "show", "ana@example.org"]).stdout.contains("country=IT"))

        // Without double opt-in a newcomer gets them at once; a value that is not valid is refused.
        let rs = try d.send([
            Self.form("news", ["email": "bo@example.org", "country": "dk", "role": "ignored"]),
            Self.form("news", ["email": "cy@example.org", "country": "Italy"]),
        ])
        #expect(rs[0].status == 200)
        let bo = try Self.contact(d, "bo@example.org")
        #expect(bo["attributes"]?["country"]?.stringValue == "DK" && bo["attributes"]?["role"] == nil)
        #expect(rs[1].status == 400 && rs[1].error.hasPrefix("country:"), "\(rs[1].body)")
        #expect(try d.cli(["contacts", "show", "cy@example.org"]).status != 0, "a refused form stores nobody")
        d.stop()
    }

    @Test func aRaisedLimitLetsASignUpTableThrough() throws {
        let d = try DaemonHarness(server: #"subscribe_rate = "200/min""#)
        #expect(try d.cli(["lists", "create", "news"]).status == 0)
        try d.start()
        let rs = try d.send((0..<20).map { Self.form("news", ["email": .string("guest\($0)@example.org")]) })
        #expect(rs.map(\.status) == Array(repeating: 200, count: 20))
        d.stop()

        // The default stays 5 a minute per address.
        let strict = try DaemonHarness()
        #expect(try strict.cli(["lists", "create", "news"]).status == 0)
        try strict.start()
        let limited = try strict.send((0..<6).map { Self.form("news", ["email": .string("g\($0)@example.org")]) })
        #expect(limited.prefix(5).allSatisfy { $0.status == 200 })
        #expect(limited[5].status == 429 && limited[5].headers["retry-after"] != nil)
        strict.stop()
    }

    /// The unsubscribe page in every starter-template language: the address and the list's title
    /// in that language, right-to-left for Arabic and Persian.
    @Test func theBuiltInPagesExistInEveryLanguageRightToLeftWhereWritten() throws {
        let d = try DaemonHarness()
        #expect(
            try d.cli([
                "lists", "create", "news", "--title", "Newsletter", "--title", "ar=النشرة", "--title", "it=Notizie",
            ])
            .status == 0)
        #expect(try d.cli(["lists", "subscribe", "news", "ana@example.org"]).status == 0)
        try d.start()
        let url = try DaemonLinkTests.signer(d).unsubscribeURL(list: "news", address: "ana@example.org")
        let path = JSON.string(String(url.dropFirst(d.base.count)))
        let languages = ["en", "da", "sv", "de", "it", "el", "ar", "fa"]
        let rs = try d.send(
            languages.map { ["method": "GET", "path": path, "headers": ["Accept-Language": .string($0 + ";q=0.9")]] })
        var texts: Set<String> = []
        for (lang, r) in zip(languages, rs) {
            #expect(r.status == 200)
            let page = try DaemonLinkTests.page(r.body)
            #expect(page["lang"]?.stringValue == lang)
            #expect(page["dir"]?.stringValue == (lang == "ar" || lang == "fa" ? "rtl" : "ltr"), "\(lang)")
            let text = page["text"]?.stringValue ?? ""
            #expect(text.contains("ana@example.org"), "\(lang): \(text)")
            let title = ["ar": "النشرة", "it": "Notizie"][lang] ?? "Newsletter"
            #expect(text.contains(title) && !text.contains(" news "), "\(lang): \(text)")
            texts.insert(text)
        }
        #expect(texts.count == languages.count, "every language has its own words")

        // The page after the button names the address and title too.
        let done = try d.send([
            "method": "POST", "path": path, "form": ["List-Unsubscribe": "One-Click"],
            "headers": ["Accept-Language": "fa"],
        ])
        let page = try DaemonLinkTests.page(done.body)
        #expect(page["dir"]?.stringValue == "rtl")
        #expect(page["text"]?.stringValue?.contains("ana@example.org") == true)
        #expect(page["text"]?.stringValue?.contains("Newsletter") == true)
        d.stop()
    }
}
