import Foundation
import OutreachTestFixtures
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
