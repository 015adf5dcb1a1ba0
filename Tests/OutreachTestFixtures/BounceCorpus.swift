import Foundation
import Outreach

/// The bounce corpus (Fixtures/bounces): messages written for the project in the forms of Postfix,
/// Exim, Sendmail, Exchange/Office 365, Gmail, Yahoo, qmail, ARF, RFC 6533, auto-replies, a human
/// reply and malformed input, with what each must parse to in `manifest.json`.
public struct BounceCorpusCase: Sendable, CustomStringConvertible {
    /// One expected result; `status` and `delivery` are compared as given (null included).
    public struct Expected: Sendable, Equatable, CustomStringConvertible {
        public var recipient: String?
        public var kind: String
        public var status: String?
        public var delivery: Int64?

        public init(recipient: String?, kind: String, status: String?, delivery: Int64?) {
            self.recipient = recipient
            self.kind = kind
            self.status = status
            self.delivery = delivery
        }

        public var description: String {
            "\(kind) \(recipient ?? "-") \(status ?? "-") \(delivery.map(String.init) ?? "-")"
        }
    }

    public var file: String
    public var format: String
    /// Nil when the file must not parse at all (BounceParseError).
    public var results: [Expected]?
    public var path: String { BounceCorpus.directory + "/" + file }
    public var bytes: [UInt8] { Array(FileManager.default.contents(atPath: path) ?? Data()) }
    public var description: String { file }
}

public enum BounceCorpus {
    public static var directory: String { FixturePaths.fixtures + "/bounces" }

    /// Every case of the manifest, by file name.
    public static func all() throws -> [BounceCorpusCase] {
        let manifest = try JSON.parse(Array(FileManager.default.contents(atPath: directory + "/manifest.json")!))
        return (manifest.objectValue ?? [:]).map { file, entry in
            let results: [BounceCorpusCase.Expected]? =
                entry["error"] == .bool(true)
                ? nil
                : (entry["results"]?.arrayValue ?? []).map { r in
                    BounceCorpusCase.Expected(
                        recipient: r["recipient"]?.stringValue, kind: r["kind"]?.stringValue ?? "?",
                        status: r["status"]?.stringValue, delivery: r["delivery"]?.intValue.map(Int64.init))
                }
            return BounceCorpusCase(file: file, format: entry["format"]?.stringValue ?? "?", results: results)
        }.sorted { $0.file < $1.file }
    }

    /// The `.eml` files in the folder, for checking that the manifest lists each.
    public static func files() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".eml") }.sorted()
    }
}
