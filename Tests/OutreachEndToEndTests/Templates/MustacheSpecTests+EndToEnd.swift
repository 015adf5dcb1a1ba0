import Foundation
import OutreachTestFixtures
import Testing

@testable import Outreach

@Suite("Template Mustache spec, through the binary")
struct TemplateMustacheSpecTests {
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
