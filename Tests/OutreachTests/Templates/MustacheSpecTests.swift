import Foundation
import Testing
@testable import Outreach

@Suite("Template Mustache spec")
struct TemplateMustacheSpecTests {
    @Test("spec files are present and hold the inheritance and dynamic-name suites")
    func specFilesPresent() throws {
        let cases = try MustacheSpecCase.all()
        #expect(cases.count > 150)
        #expect(cases.contains { $0.file == "~inheritance.json" })
        #expect(cases.contains { $0.file == "~dynamic-names.json" })
    }

    /// Fast in-process run with a precise diff for each case.
    @Test("every spec case renders in-process")
    func inProcess() throws {
        var failures: [String] = []
        for c in try MustacheSpecCase.all() {
            do {
                var partials: [String: Template] = [:]
                for (n, s) in c.partials { partials[n] = try Template(source: s, file: n, escaping: .html) }
                let t = try Template(source: c.template, file: c.name, escaping: .html)
                let got = try t.render(c.data, partials: partials)
                if got != c.expected {
                    failures.append("\(c): expected \(c.expected.debugDescription), got \(got.debugDescription)")
                }
            } catch {
                failures.append("\(c): \(error)")
            }
        }
        #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) failures:\n" + failures.joined(separator: "\n")))
    }
}

extension TemplateMustacheSpecTests {
    /// The same cases through the built binary: `outreachd render FILE --data DATA.json --partials DIR`.
    @Test("every spec case renders byte for byte through `outreachd render`")
    func throughBinary() throws {
        var failures: [String] = []
        let root = TestSupport.temporaryDirectory("spec")
        defer { try? FileManager.default.removeItem(atPath: root) }
        for (n, c) in try MustacheSpecCase.all().enumerated() {
            let dir = root + "/\(n)"
            try FileManager.default.createDirectory(atPath: dir + "/partials", withIntermediateDirectories: true)
            try Data(c.template.utf8).write(to: URL(fileURLWithPath: dir + "/template.mustache"))
            try Data(c.data.serialized.utf8).write(to: URL(fileURLWithPath: dir + "/data.json"))
            for (name, s) in c.partials {
                try Data(s.utf8).write(to: URL(fileURLWithPath: dir + "/partials/\(name).mustache"))
            }
            let r = try TestSupport.outreachd(
                ["render", dir + "/template.mustache", "--data", dir + "/data.json", "--partials", dir + "/partials"],
                cwd: dir)
            if r.status != 0 || r.stdoutBytes != Array(c.expected.utf8) {
                failures.append(
                    "\(c): status \(r.status), expected \(c.expected.debugDescription), got \(r.stdout.debugDescription) \(r.stderr)"
                )
            }
        }
        #expect(failures.isEmpty, Comment(rawValue: "\(failures.count) failures:\n" + failures.joined(separator: "\n")))
    }
}
