import Foundation
import Outreach

/// The official Mustache spec's test cases, vendored in Fixtures/mustache-spec (or $MUSTACHE_SPEC_DIR).
struct MustacheSpecCase: Sendable, CustomStringConvertible {
    var file: String
    var name: String
    var template: String
    var data: JSON
    var partials: [String: String]
    var expected: String
    var description: String { "\(file): \(name)" }

    static var directory: String {
        if let d = ProcessInfo.processInfo.environment["MUSTACHE_SPEC_DIR"], !d.isEmpty { return d }
        return TestSupport.packageRoot + "/Tests/OutreachTests/Fixtures/mustache-spec"
    }

    /// Every case of every spec file except the lambdas (out of scope).
    static func all() throws -> [MustacheSpecCase] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory)
            .filter { $0.hasSuffix(".json") && !$0.contains("lambdas") }.sorted()
        var cases: [MustacheSpecCase] = []
        for f in files {
            let json = try JSON.parse(Array(FileManager.default.contents(atPath: directory + "/" + f)!))
            for t in json["tests"]?.arrayValue ?? [] {
                var partials: [String: String] = [:]
                for (k, v) in t["partials"]?.objectValue ?? [:] { partials[k] = v.stringValue }
                cases.append(
                    MustacheSpecCase(
                        file: f, name: t["name"]?.stringValue ?? "?", template: t["template"]?.stringValue ?? "",
                        data: t["data"] ?? .null, partials: partials, expected: t["expected"]?.stringValue ?? ""))
            }
        }
        return cases
    }
}
