import Foundation
import OutreachTestFixtures
import Testing
@testable import Outreach

@Suite("Template check")
struct TemplateCheckTests {
    let good: [String: String] = [
        "layouts/email.html": "<html>{{$body}}{{/body}}{{>partials/footer}}</html>",
        "partials/footer.en.html": "<a href=\"{{unsubscribe_url}}\">Unsubscribe</a>",
        "partials/footer.en.txt": "Unsubscribe: {{unsubscribe_url}}",
        "news/email.en.txt": "---\nsubject: News\n---\nHi\n{{>partials/footer}}\n",
        "news/email.en.html": "{{<layouts/email}}{{$body}}<p>Hi</p>{{/body}}{{/layouts/email}}",
    ]

    func check(_ changes: [String: String?]) throws -> [TemplateError] {
        var files = good
        for (k, v) in changes { files[k] = v }
        return try TemplateTestSupport.library(files).check()
    }

    @Test("a good folder has no problems")
    func clean() throws {
        #expect(try check([:]) == [])
    }

    @Test("a parse error with file, line, column and what is wrong")
    func parseError() throws {
        let p = try check(["news/email.en.html": "<ul>\n{{#items}}\n<li>{{name}}</li>\n"])
        #expect(p.count == 1)
        guard case .syntax(let f, 2, 1, "unclosed section 'items' opened at line 2")? = p.first else {
            Issue.record("got \(p)"); return
        }
        #expect(f.hasSuffix("news/email.en.html"))
        #expect(p[0].description.hasSuffix("news/email.en.html:2:1: unclosed section 'items' opened at line 2."))
    }

    @Test("an unknown partial, with its name, file and line")
    func unknownPartial() throws {
        let p = try check(["news/email.en.txt": "---\nsubject: News\n---\nHi\n  {{>partials/signature}}\n"])
        #expect(p.count == 1)
        guard case .unknownPartial("partials/signature", let f, 5, 3)? = p.first else {
            Issue.record("got \(p)"); return
        }
        #expect(f.hasSuffix("news/email.en.txt"))
    }

    @Test("a partial that exists only in another locale is unknown for this one")
    func partialOtherLocale() throws {
        let p = try check([
            "news/email.da.txt": "---\nsubject: Nyt\n---\n{{>partials/footer}}", "news/email.da.html": nil,
            "partials/footer.en.txt": nil, "partials/footer.sv.txt": "Afregistrera",
        ])
        #expect(
            p.contains {
                if case .unknownPartial("partials/footer", _, _, _) = $0 { return true }; return false
            })
    }

    @Test("an unknown parent layout")
    func unknownParent() throws {
        let p = try check(["news/email.en.html": "{{<layouts/letter}}{{$body}}x{{/body}}{{/layouts/letter}}"])
        #expect(p.count == 1)
        guard case .unknownParent("layouts/letter", _, 1, 1)? = p.first else { Issue.record("got \(p)"); return }
    }

    @Test("an email without a subject")
    func missingSubject() throws {
        let p = try check(["news/email.en.txt": "Hi\n"])
        #expect(p.count == 1)
        guard case .missingSubject(let f)? = p.first else { Issue.record("got \(p)"); return }
        #expect(f.hasSuffix("news/email.en.txt"))
    }

    @Test("a locale with HTML but no text part")
    func htmlWithoutText() throws {
        let p = try check(["news/email.da.html": "---\nsubject: Nyt\n---\n<p>Hej</p>"])
        #expect(p.count == 1)
        guard case .htmlWithoutText(let f)? = p.first else { Issue.record("got \(p)"); return }
        #expect(f.hasSuffix("news/email.da.html"))
    }

    @Test("bad front matter")
    func badFrontMatter() throws {
        let p = try check(["news/email.en.txt": "---\nsubject News\n---\nHi"])
        guard case .frontMatter(_, 2, _)? = p.first else { Issue.record("got \(p)"); return }
    }

    @Test(
        "file names that do not follow <kind>.<locale>.<ext>",
        arguments: [
            "news/letter.en.txt", "news/email.english.txt", "news/email.en.md", "news/sms.en.html", "news/email.txt",
            "partials/footer.en.md",
        ])
    func badNames(_ path: String) throws {
        let p = try check([path: "x"])
        #expect(p.count == 1)
        guard case .badFileName(let f, _)? = p.first else { Issue.record("got \(p)"); return }
        #expect(f.hasSuffix(path))
    }

    @Test("a file that is not UTF-8")
    func notUTF8() throws {
        let dir = try TemplateTestSupport.folder(good)
        try Data([0x48, 0xE6, 0x0A]).write(to: URL(fileURLWithPath: dir + "/news/sms.en.txt"))
        let p = try TemplateLibrary(directory: dir, defaultLocale: "en").check()
        guard case .unreadable(let f, _)? = p.first, p.count == 1 else { Issue.record("got \(p)"); return }
        #expect(f.hasSuffix("news/sms.en.txt"))
    }

    @Test("problems(of:) lists one template's problems; render refuses a broken variant")
    func perTemplate() throws {
        var files = good
        files["other/sms.en.txt"] = "{{#x}}"
        files["third/sms.en.txt"] = "Hi {{>partials/nope}}"
        let lib = try TemplateTestSupport.library(files)
        #expect(lib.problems(of: "news") == [])
        #expect(lib.problems(of: "other").count == 1)
        #expect(throws: TemplateError.self) { try lib.render("other", kind: .sms, locale: "en", context: [:]) }
        #expect(
            throws: TemplateError.unknownPartial(
                name: "partials/nope", file: lib.directory + "/third/sms.en.txt", line: 1, column: 4)
        ) {
            try lib.render("third", kind: .sms, locale: "en", context: [:])
        }
    }
}

@Suite("Template parse errors")
struct TemplateParseErrorTests {
    func error(_ source: String) -> TemplateError? {
        do { _ = try Template(source: source, file: "f.html", escaping: .html); return nil } catch { return error }
    }

    @Test(
        "each parse error says what is wrong and where",
        arguments: [
            ("a\nb\n\n{{#items}}\n{{name}}\n", 4, 1, "unclosed section 'items' opened at line 4"),
            ("x {{/items}}", 1, 3, "closing tag 'items' has no open section"),
            ("{{#a}}\n  {{/b}}", 2, 3, "closing tag 'b' does not match 'a' opened at line 1"),
            ("hello {{name", 1, 7, "unclosed tag: no '}}' after '{{'"),
            ("{{{name}}", 1, 1, "unclosed tag: no '}}}' after '{{{'"),
            ("{{}}", 1, 1, "empty tag: a name is missing between the delimiters"),
            ("{{first name}}", 1, 1, "the name 'first name' contains whitespace"),
            ("{{=<%>=}}", 1, 1, "a delimiter change needs two delimiters, like {{=<% %>=}}"),
            ("{{<layout}}\n{{$body}}x", 2, 1, "unclosed block 'body' opened at line 2"),
            ("æøå {{#x}}", 1, 5, "unclosed section 'x' opened at line 1"),
        ])
    func messages(source: String, line: Int, column: Int, message: String) {
        #expect(error(source) == .syntax(file: "f.html", line: line, column: column, message: message))
    }

    @Test("errors read as one sentence with file:line:column")
    func description() {
        #expect(error("{{#items}}")?.description == "f.html:1:1: unclosed section 'items' opened at line 1.")
    }

    @Test("infinite partial recursion is an error, not a crash")
    func recursion() throws {
        let p = try Template(source: "{{>p}}", file: "p", escaping: .none)
        #expect(throws: TemplateError.recursionTooDeep(file: "p")) { try p.render([:], partials: ["p": p]) }
    }
}
