import Foundation
import Outreach

/// The official Mustache spec's test cases, vendored in Fixtures/mustache-spec (or $MUSTACHE_SPEC_DIR).
public struct MustacheSpecCase: Sendable, CustomStringConvertible {
    public var file: String
    public var name: String
    public var template: String
    public var data: JSON
    public var partials: [String: String]
    public var expected: String
    public var description: String { "\(file): \(name)" }

    public static var directory: String {
        if let d = ProcessInfo.processInfo.environment["MUSTACHE_SPEC_DIR"], !d.isEmpty { return d }
        return FixturePaths.fixtures + "/mustache-spec"
    }

    /// Every case of every spec file except the lambdas (out of scope).
    public static func all() throws -> [MustacheSpecCase] {
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
