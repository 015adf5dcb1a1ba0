import Foundation
import OutreachTestFixtures
import Testing
@testable import Outreach

@Suite("Template library: locales, partials, front matter")
struct TemplateLibraryTests {
    let files: [String: String] = [
        "hello/sms.pt.txt": "Olá {{>partials/sig}}",
        "hello/sms.da.txt": "Hej {{>partials/sig}}",
        "hello/sms.en.txt": "Hello {{>partials/sig}}",
        "hello/sms.pt-BR.txt": "Oi {{>partials/sig}}",
        "hello/email.en.txt": "---\nsubject: Hello {{contact.first_name}}\nreply_to: team@example.org\n---\nHello",
        "hello/email.en.html": "<p>Hello</p>",
        "partials/sig.pt.txt": "(pt)",
        "partials/sig.txt": "(any)",
    ]

    @Test(
        "fallback pt-BR → pt → default locale → en",
        arguments: [
            ("pt-BR", "da", "pt-BR", "Oi (pt)"),
            ("pt-PT", "da", "pt", "Olá (pt)"),
            ("pt_pt", "da", "pt", "Olá (pt)"),
            ("fr", "da", "da", "Hej (any)"),
            ("fr", "de", "en", "Hello (any)"),
            (nil, "da", "da", "Hej (any)"),
        ] as [(String?, String, String, String)])
    func fallback(locale: String?, defaultLocale: String, expectedLocale: String, text: String) throws {
        var f = files
        f["hello/sms.pt-BR.txt"] = "Oi {{>partials/sig}}"
        let lib = try TemplateTestSupport.library(f, defaultLocale: defaultLocale)
        let r = try lib.render("hello", kind: .sms, locale: locale, context: [:])
        #expect(r.locale == expectedLocale)
        #expect(r.text == text)
    }

    @Test("names, has, locales(of:kind:)")
    func listing() throws {
        let lib = try TemplateTestSupport.library(files)
        #expect(lib.names == ["hello"])
        #expect(lib.has("hello") && !lib.has("partials") && !lib.has("nope"))
        #expect(lib.locales(of: "hello", kind: .sms) == ["da", "en", "pt", "pt-BR"])
        #expect(lib.locales(of: "hello", kind: .email) == ["en"])
        #expect(lib.locales(of: "hello", kind: .chat) == [])
    }

    @Test("email renders subject, text, HTML and front matter")
    func email() throws {
        let lib = try TemplateTestSupport.library(files)
        let r = try lib.render("hello", kind: .email, locale: "da", context: ["contact": ["first_name": "Ana"]])
        #expect(
            r
                == RenderedTemplate(
                    locale: "en", subject: "Hello Ana", text: "Hello", html: "<p>Hello</p>",
                    frontMatter: ["subject": "Hello {{contact.first_name}}", "reply_to": "team@example.org"]))
    }

    @Test("unknown template and missing kind are typed errors")
    func missing() throws {
        let lib = try TemplateTestSupport.library(files)
        #expect(throws: TemplateError.unknownTemplate(name: "nope")) {
            try lib.render("nope", kind: .sms, locale: "en", context: [:])
        }
        #expect(throws: TemplateError.noVariant(template: "hello", kind: "chat", locales: ["en"])) {
            try lib.render("hello", kind: .chat, locale: "en", context: [:])
        }
    }

    @Test("a folder that does not exist is an error naming it")
    func noFolder() {
        #expect(throws: TemplateError.unreadable(file: "/nonexistent/templates", reason: "no such folder")) {
            try TemplateLibrary(directory: "/nonexistent/templates", defaultLocale: "en")
        }
    }

    @Test("a compiled library renders the same from many threads")
    func concurrent() async throws {
        let lib = try TemplateTestSupport.library(files)
        let results = await withTaskGroup(of: String?.self) { group in
            for i in 0..<32 {
                group.addTask {
                    try? lib.render("hello", kind: .email, locale: "en", context: ["contact": ["first_name": JSON(i)]])
                        .subject
                }
            }
            var out: [String?] = []
            for await r in group { out.append(r) }
            return out
        }
        #expect(Set(results.compactMap { $0 }) == Set((0..<32).map { "Hello \($0)" }))
    }
}

@Suite("Template front matter")
struct TemplateFrontMatterTests {
    func problems(_ text: String) throws -> [TemplateError] {
        try TemplateTestSupport.library(["t/sms.en.txt": text]).check()
    }

    @Test("key: value lines, comments, quotes; body starts after the closing line")
    func parses() throws {
        let fm = try FrontMatter.split("---\nsubject: \"Hi: there\"\n# note\n\nx-tag: a\n---\nbody\n", file: "f")
        #expect(fm.values == ["subject": "Hi: there", "x-tag": "a"])
        #expect(fm.body == "body\n")
        #expect(fm.lineOffset == 6)
        #expect(try FrontMatter.split("no front matter\n---\n", file: "f").body == "no front matter\n---\n")
    }

    @Test("CRLF line endings and a byte order mark are understood")
    func crlf() throws {
        let lib = try TemplateTestSupport.library([
            "t/email.en.txt": "\u{FEFF}---\r\nsubject: Hi {{n}}\r\n---\r\n{{#n}}\r\nbody {{n}}\r\n{{/n}}\r\n"
        ])
        #expect(lib.check() == [])
        let r = try lib.render("t", kind: .email, locale: "en", context: ["n": 1])
        #expect(r.subject == "Hi 1")
        #expect(r.text == "body 1\r\n")
    }

    @Test("unclosed block", arguments: ["---\nsubject: x\n", "---\n"])
    func unclosed(_ text: String) throws {
        let p = try problems(text)
        #expect(p.count == 1)
        guard case .frontMatter(_, 1, let m)? = p.first else { Issue.record("got \(p)"); return }
        #expect(m.contains("not closed"))
    }

    @Test(
        "a line without a colon, a bad key, a repeated key: each named with its line",
        arguments: [
            ("---\nsubject: a\njust words\n---\n", 3, "is not 'key: value'"),
            ("---\nsub ject: a\n---\n", 2, "must be letters"),
            ("---\nsubject: a\nsubject: b\n---\n", 3, "repeats the key 'subject'"),
        ])
    func badLines(text: String, line: Int, message: String) throws {
        let p = try problems(text)
        guard case .frontMatter(let f, let l, let m)? = p.first, p.count == 1 else { Issue.record("got \(p)"); return }
        #expect(f.hasSuffix("t/sms.en.txt"))
        #expect(l == line)
        #expect(m.contains(message))
    }

    @Test("errors in the body are reported at their line in the file, after the front matter")
    func bodyLines() throws {
        let p = try TemplateTestSupport.library(["t/email.en.txt": "---\nsubject: Hi\n---\nline 4\n{{#items}}\nx\n"])
            .check()
        #expect(p.count == 1)
        guard case .syntax(_, let l, let c, let m)? = p.first else { Issue.record("got \(p)"); return }
        #expect((l, c) == (5, 1))
        #expect(m == "unclosed section 'items' opened at line 5")
    }

    @Test("an error in the subject is reported on the subject's line")
    func subjectError() throws {
        let p = try TemplateTestSupport.library(["t/email.en.txt": "---\nfrom: x\nsubject: Hi {{name\n---\nbody\n"])
            .check()
        guard case .syntax(_, 3, _, let m)? = p.first else { Issue.record("got \(p)"); return }
        #expect(m.contains("in the subject"))
    }
}

/// Issue 18.2: `check`'s warning about `[sender]` values written out where nothing gives them.
@Suite struct TemplateValuesTests {
    @Test func onlyValuesWrittenOutUnguardedCount() throws {
        let dir = TestSupport.temporaryDirectory("values")
        try FileManager.default.createDirectory(atPath: dir + "/note", withIntermediateDirectories: true)
        try
            "{{organisation}} says hi{{#website}} {{website}}{{/website}}{{^postal_address}}{{postal_address}}{{/postal_address}}"
            .write(toFile: dir + "/note/sms.en.txt", atomically: true, encoding: .utf8)
        try "---\nsubject: \"From {{website}}\"\n---\nHi {{#contact.name}}{{organisation}}{{/contact.name}}\n"
            .write(toFile: dir + "/note/email.en.txt", atomically: true, encoding: .utf8)
        let library = try TemplateLibrary(directory: dir, defaultLocale: "en")
        let uses = library.unguardedUses(of: ["organisation", "website", "postal_address"])
        #expect(uses["organisation"]?.count == 2)
        #expect(uses["website"] == [dir + "/note/email.en.txt"], "the subject counts; a guarded one does not")
        #expect(uses["postal_address"] == nil)
        let warnings = library.missingValueWarnings(provided: ["organisation": "X"])
        #expect(warnings.count == 1 && warnings[0].contains("{{website}}") && warnings[0].contains("[sender] website"))
    }
}
