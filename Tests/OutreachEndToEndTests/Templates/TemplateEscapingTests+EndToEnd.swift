import Foundation
import OutreachTestFixtures
import Testing
@testable import Outreach

@Suite("Template escaping per output")
struct TemplateEscapingTests {
    let name = TemplateTestSupport.trickyName

    func library() throws -> TemplateLibrary { try TemplateTestSupport.escapingLibrary() }

    var context: JSON { TemplateTestSupport.escapingContext }

    @Test("HTML escapes markup, quotes and ampersands; Python's html.parser reads the name back unchanged")
    func html() throws {
        let r = try library().render("t", kind: .email, locale: "en", context: context)
        let html = try #require(r.html)
        #expect(!html.contains("<b>"))
        let decoded = try TemplateTestSupport.decode("html", html)
        #expect(decoded["attrs"]?["title"]?.stringValue == name)
        #expect(decoded["text"]?.stringValue == name)
        #expect(decoded["unbalanced"] == .array([]))
    }

    @Test("JSON bodies escape strings so Python's json module reads them back; numbers keep their text")
    func json() throws {
        let r = try library().render("t", kind: .chat, locale: "en", context: context)
        let body = try #require(r.json)
        let decoded = try TemplateTestSupport.decode("json", body)
        #expect(decoded["text"]?.stringValue == "Hello " + name)
        #expect(decoded["n"] == .number("1.21"))
        #expect(decoded["raw"] == ["a": [1, 2]])
        #expect(r.text == name)
    }

    @Test("form bodies are x-www-form-urlencoded; urllib.parse.parse_qs reads the name back")
    func form() throws {
        let t = try Template(source: "name={{name}}&n={{n}}", file: "body.form", escaping: .form)
        let body = try t.render(["name": .string(name), "n": .number("85")])
        let decoded = try TemplateTestSupport.decode("form", body)
        #expect(decoded["name"] == .array([.string(name)]))
        #expect(decoded["n"] == .array(["85"]))
    }

    @Test("render FILE escapes by the file's extension through the binary")
    func binaryByExtension() throws {
        let dir = try TemplateTestSupport.folder([
            "a.json": "{\"t\": \"{{name}}\"}",
            "a.form": "name={{name}}",
            "a.html": "<i title=\"{{name}}\">{{name}}</i>",
            "a.txt": "{{name}}",
            "data.json": JSON.object(["name": .string(name)]).serialized,
        ])
        func run(_ f: String) throws -> String {
            let r = try TestSupport.outreachd(["render", dir + "/" + f, "--data", dir + "/data.json"], cwd: dir)
            #expect(r.status == 0, Comment(rawValue: r.stderr))
            return r.stdout
        }
        #expect(try TemplateTestSupport.decode("json", try run("a.json"))["t"]?.stringValue == name)
        #expect(try TemplateTestSupport.decode("form", try run("a.form"))["name"] == .array([.string(name)]))
        #expect(try TemplateTestSupport.decode("html", try run("a.html"))["attrs"]?["title"]?.stringValue == name)
        #expect(try run("a.txt") == name)
    }
}
