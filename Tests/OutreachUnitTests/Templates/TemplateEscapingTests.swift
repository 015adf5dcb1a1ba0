import Foundation
import OutreachTestFixtures
import Testing

@testable import Outreach

/// Escaping rules in process; `TemplateEscapingTests+EndToEnd` decodes the output with Python's parsers.
@Suite("Template escaping per output")
struct TemplateEscapingTests {
    let name = TemplateTestSupport.trickyName

    func library() throws -> TemplateLibrary { try TemplateTestSupport.escapingLibrary() }

    var context: JSON { TemplateTestSupport.escapingContext }

    @Test("the extension decides the escaping; triple mustache and & never escape")
    func byExtension() throws {
        #expect(TemplateEscaping(fileExtension: "mustache") == .html)
        #expect(TemplateEscaping(fileExtension: "html") == .html)
        #expect(TemplateEscaping(fileExtension: "txt") == TemplateEscaping.none)
        #expect(TemplateEscaping(fileExtension: "json") == .json)
        #expect(TemplateEscaping(fileExtension: "form") == .form)
        for mode in [TemplateEscaping.html, .json, .form] {
            let t = try Template(source: "{{{v}}}{{&v}}", file: "x", escaping: mode)
            #expect(try t.render(["v": "<&\" x>"]) == "<&\" x><&\" x>")
        }
    }

    @Test("numbers render as JSON wrote them; null and false render nothing; true renders true")
    func scalars() throws {
        let t = try Template(source: "{{a}}|{{b}}|{{c}}|{{d}}|{{e}}", file: "x.txt", escaping: .none)
        let data = try JSON.parse(#"{"a": 1.21, "b": 85, "c": null, "d": false, "e": true}"#)
        #expect(try t.render(data) == "1.21|85|||true")
    }

    @Test("text parts, subjects and SMS are not escaped at all")
    func text() throws {
        let r = try library().render("t", kind: .email, locale: "en", context: context)
        #expect(Array(r.text.utf8) == Array((name + "|" + name).utf8))
        #expect(r.subject == "Hi " + name)
    }
}
