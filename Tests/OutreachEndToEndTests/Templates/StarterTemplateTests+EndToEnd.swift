import Foundation
import OutreachTestFixtures
import Testing
@testable import Outreach

@Suite("Starter templates")
struct StarterTemplateTests {
    static let names = StarterTemplates.names
    static let locales = StarterTemplates.locales
    static func library() throws -> TemplateLibrary { try StarterTemplates.library() }
    static let context = StarterTemplates.context

    @Test(
        "email renders in each language: subject, text, well-formed HTML with the links and direction",
        arguments: names)
    func email(_ name: String) throws {
        let lib = try Self.library()
        var texts: Set<String> = []
        for l in Self.locales {
            let r = try lib.render(name, kind: .email, locale: l, context: Self.context)
            #expect(r.locale == l)
            let subject = try #require(r.subject)
            #expect(!subject.isEmpty && !subject.contains("{{") && !subject.contains("\n"))
            let html = try #require(r.html)
            for out in [r.text, html] { #expect(!out.contains("{{") && !out.contains("}}"), "\(name) \(l)") }
            texts.insert(r.text)
            let decoded = try TemplateTestSupport.decode("html", html)
            #expect(decoded["unbalanced"] == .array([]), "\(name) \(l): \(decoded["unbalanced"]!)")
            // Python's parser finds lang and dir on the page, the body and the card: rtl for Arabic and Persian.
            let dir = ["ar", "fa"].contains(l) ? "rtl" : "ltr"
            let dirs = decoded["dirs"]?.arrayValue?.compactMap { $0.arrayValue?.compactMap(\.stringValue) } ?? []
            #expect(
                Array(dirs.prefix(3)) == [["html", dir, l], ["body", dir, l], ["table", dir, l]], "\(name) \(l)")
            let hrefs = decoded["hrefs"]?.arrayValue?.compactMap(\.stringValue) ?? []
            if name == "confirm" {
                #expect(hrefs.contains("https://outreach.example.org/confirm/tok456"))
                #expect(r.text.contains("https://outreach.example.org/confirm/tok456"))
            } else {
                // List mail: the unsubscribe link in the footer of both parts.
                #expect(hrefs.contains("https://outreach.example.org/unsubscribe/tok123"), "\(name) \(l)")
                #expect(r.text.contains("https://outreach.example.org/unsubscribe/tok123"), "\(name) \(l)")
            }
            if name.hasPrefix("event") {
                for s in ["tirsdag 4. marts kl. 18.00", "Gellerup Bibliotek", "Madklub"] {
                    #expect(r.text.contains(s) && decoded["text"]!.stringValue!.contains(s))
                }
            }
            if name != "press-release" { #expect(r.text.contains("Ana"), "greets the contact by first name") }
        }
        #expect(texts.count == Self.locales.count, "each language has its own text")
    }

    @Test("outreachd render TEMPLATE previews subject, text and HTML; unknown templates exit 1")
    func preview() throws {
        let dir = TestSupport.temporaryDirectory("preview")
        try Data(Self.context.serialized.utf8).write(to: URL(fileURLWithPath: dir + "/data.json"))
        let root = TestSupport.packageRoot + "/templates"
        let r = try TestSupport.outreachd(
            [
                "render", "event-reminder", "--templates", root, "--locale", "da", "--kind", "email", "--data",
                dir + "/data.json",
            ], cwd: dir)
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        #expect(
            r.stdout.hasPrefix(
                "locale: da\nsubject: Påmindelse: Madklub, tirsdag 4. marts kl. 18.00\n--- text ---\nHej Ana,\n"))
        #expect(r.stdout.contains("\n--- html ---\n<!DOCTYPE html>"))
        let j = try TestSupport.outreachd(
            [
                "render", "welcome", "--templates", root, "--locale", "sv", "--kind", "sms", "--json", "--data",
                dir + "/data.json",
            ], cwd: dir)
        let parsed = try JSON.parse(j.stdout)
        #expect(parsed["locale"] == "sv")
        #expect(parsed["text"]?.stringValue?.hasPrefix("Välkommen till Madklub-nyt!") == true)
        let bad = try TestSupport.outreachd(["render", "no-such-template", "--templates", root], cwd: dir)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("There is no template named 'no-such-template'."))
    }

    @Test("render TEMPLATE --contact looks the contact up in the store and uses its locale and name")
    func previewForContact() throws {
        let dir = TestSupport.temporaryDirectory("contact")
        let env = ["STATE_DIRECTORY": dir + "/state", "OUTREACH_CONFIG": ""]
        let add = try TestSupport.outreachd(
            ["contacts", "add", "--email", "ana@example.org", "--name", "Ana Lima", "--locale", "sv"], cwd: dir,
            environment: env)
        #expect(add.status == 0, Comment(rawValue: add.stderr))
        let r = try TestSupport.outreachd(
            [
                "render", "welcome", "--templates", TestSupport.packageRoot + "/templates", "--kind", "chat",
                "--contact", "ana@example.org", "--json",
            ], cwd: dir, environment: env)
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        let j = try JSON.parse(r.stdout)
        #expect(j["locale"] == "sv")
        #expect(j["text"]?.stringValue?.hasSuffix(", Ana!\n") == true)
        let missing = try TestSupport.outreachd(
            [
                "render", "welcome", "--templates", TestSupport.packageRoot + "/templates",
                "--contact", "nobody@example.org",
            ], cwd: dir, environment: env)
        #expect(missing.status == 1)
    }

    @Test("render FILE that does not exist exits 1 naming it")
    func missingFile() throws {
        let r = try TestSupport.outreachd(["render", "/nonexistent/x.mustache"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("/nonexistent/x.mustache"))
    }
}

extension StarterTemplateTests {
    /// pystache has no inheritance, so the parts without a layout are compared: every SMS, chat and
    /// email text part in every language, with the footer partial and the sender lines it includes.
    @Test("text, SMS and chat parts render exactly as pystache renders them")
    func sameAsPystache() throws {
        let lib = try Self.library()
        let root = TestSupport.packageRoot + "/templates"
        func body(_ path: String) throws -> String {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            return try FrontMatter.split(text, file: path).body
        }
        var jobs: [JSON] = []
        var ours: [String] = []
        for name in Self.names {
            for l in Self.locales {
                let partials: JSON = [
                    "partials/footer": .string(try body(root + "/partials/footer.\(l).txt")),
                    "partials/sender": .string(try body(root + "/partials/sender.txt")),
                ]
                for (kind, file) in [(ChannelKind.sms, "sms"), (.chat, "chat"), (.email, "email")] {
                    jobs.append([
                        "source": .string(try body(root + "/\(name)/\(file).\(l).txt")), "partials": partials,
                        "context": Self.context,
                    ])
                    ours.append(try lib.render(name, kind: kind, locale: l, context: Self.context).text)
                }
            }
        }
        let r = try TestSupport.run(
            "python3", [TestSupport.packageRoot + "/Tests/peers/templates_pystache.py"],
            stdin: Array(JSON.object(["jobs": .array(jobs)]).serialized.utf8))
        #expect(r.status == 0, Comment(rawValue: r.stderr))
        let theirs = try JSON.parse(r.stdout).arrayValue?.compactMap(\.stringValue) ?? []
        #expect(theirs.count == ours.count)
        for (a, b) in zip(ours, theirs) { #expect(a == b) }
    }
}

extension StarterTemplateTests {
    @Test("outreachd check passes on the starter folder in every language, and names a broken Arabic file")
    func checkEveryLanguage() throws {
        let dir = TestSupport.temporaryDirectory("check")
        func config(_ templates: String) throws -> String {
            let path = dir + "/\(UUID().uuidString).conf"
            try """
            data_dir = "\(dir)/data"
            templates_dir = "\(templates)"
            [sender]
            organisation = "Sprogcenter Aarhus"
            [channels.outbox]
            type = "outbox"
            """.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }
        let good = try TestSupport.outreachd(["--config", try config(TestSupport.packageRoot + "/templates"), "check"])
        #expect(good.status == 0, Comment(rawValue: good.stderr))
        #expect(good.stdout.contains("8 templates"))
        let copy = dir + "/templates"
        #expect(try TestSupport.run("cp", ["-R", TestSupport.packageRoot + "/templates", copy]).status == 0)
        let file = copy + "/welcome/email.ar.html"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try text.replacingOccurrences(of: "{{/about}}", with: "").write(toFile: file, atomically: true, encoding: .utf8)
        let bad = try TestSupport.outreachd(["--config", try config(copy), "check"])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("welcome/email.ar.html"), Comment(rawValue: bad.stderr))
    }
}
