import Foundation
import Outreach
import OutreachTestFixtures
import Testing

/// `outreachd bounces parse` through the real binary: the corpus, DSNs built by Python's `email`
/// package, standard input, the VERP key read (never created) from the data directory.
@Suite struct BouncesParseCommandTests {
    /// The `--json` lines, by file.
    static func lines(_ r: TestSupport.ProcessResult) throws -> [String: JSON] {
        var out: [String: JSON] = [:]
        for line in r.stdout.split(separator: "\n") {
            let j = try JSON.parse(Array(line.utf8))
            out[j["file"]?.stringValue ?? "?"] = j
        }
        return out
    }

    static func results(_ j: JSON?) -> [BounceCorpusCase.Expected]? {
        j?["results"]?.arrayValue?.map {
            BounceCorpusCase.Expected(
                recipient: $0["recipient"]?.stringValue, kind: $0["kind"]?.stringValue ?? "?",
                status: $0["status"]?.stringValue, delivery: $0["delivery"]?.intValue.map(Int64.init))
        }
    }

    @Test func theCorpusParsesAsTheManifestSays() throws {
        let corpus = try BounceCorpus.all()
        let r = try TestSupport.outreachd(
            ["bounces", "parse", "--json"] + corpus.map(\.file), cwd: BounceCorpus.directory)
        #expect(r.status == 1, "malformed messages are in the corpus: \(r.stderr)")
        let got = try Self.lines(r)
        #expect(got.count == corpus.count)
        for c in corpus {
            if let expected = c.results {
                #expect(Self.results(got[c.file]) == expected, "\(c.file)")
            } else {
                #expect(got[c.file]?["error"]?.stringValue?.isEmpty == false, "\(c.file)")
            }
        }
        let good = corpus.filter { $0.results != nil }.map(\.file)
        let ok = try TestSupport.outreachd(["bounces", "parse", "--json"] + good, cwd: BounceCorpus.directory)
        #expect(ok.status == 0, "\(ok.stderr)")
    }

    /// Messages our parser did not write: DSNs, a global DSN, a feedback report and replies built by
    /// Python's `email` package (Tests/peers/bounce_dsn.py).
    @Test func dsnsBuiltByPythonsEmailPackage() throws {
        let dir = TestSupport.temporaryDirectory("pydsn")
        let gen = try TestSupport.run("python3", [TestSupport.packageRoot + "/Tests/peers/bounce_dsn.py", dir])
        try #require(gen.status == 0, "\(gen.stderr)")
        let expected = try JSON.parse(Array(FileManager.default.contents(atPath: dir + "/expected.json")!))
        let files = (expected.objectValue ?? [:]).keys.sorted()
        #expect(files.count >= 6)
        let r = try TestSupport.outreachd(["bounces", "parse", "--json"] + files, cwd: dir)
        #expect(r.status == 0, "\(r.stderr)")
        let got = try Self.lines(r)
        for f in files {
            #expect(Self.results(got[f]) == Self.results(["results": expected[f] ?? .null]), "\(f)")
        }
    }

    @Test func standardInputTheTableAndErrors() throws {
        let dir = BounceCorpus.directory
        let message = Array(FileManager.default.contents(atPath: dir + "/qmail-failure.eml")!)
        let json = try TestSupport.outreachd(["bounces", "parse", "-", "--json"], cwd: dir, stdin: message)
        #expect(json.status == 0)
        #expect(try Self.lines(json)["-"]?["results"]?.arrayValue?.count == 3)
        let table = try TestSupport.outreachd(
            ["bounces", "parse", "qmail-failure.eml", "malformed-empty.eml", "human-reply.eml"], cwd: dir)
        #expect(table.status == 1)
        #expect(table.stdout.contains("qmail-failure.eml:\n  hard       marta@example.info"))
        #expect(table.stdout.contains("soft       olaf@example.info"))
        #expect(table.stdout.contains("human-reply.eml: not a bounce"))
        #expect(table.stderr == "outreachd: malformed-empty.eml: The message is empty.\n")
        let missing = try TestSupport.outreachd(["bounces", "parse", "nope.eml", "--json"], cwd: dir)
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("Cannot read nope.eml: there is no such file."))
        let usage = try TestSupport.outreachd(["bounces", "parse"], cwd: dir)
        #expect(usage.status == 2)
    }

    /// With the data directory's link key, a VERP token in the address the bounce was sent to names
    /// the delivery; a forged one is ignored; without a key, tokens are not read and no key is made.
    @Test func verpTokensAreCheckedWithTheLinkKeyNeverCreated() throws {
        let dir = TestSupport.temporaryDirectory("verp")
        let data = dir + "/data"
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        try "data_dir = \"\(data)\"\n".write(toFile: dir + "/outreach.conf", atomically: true, encoding: .utf8)
        let key = Crypto.randomBytes(32)
        let token = VERPToken(key: key)
        let original = String(
            decoding: FileManager.default.contents(atPath: BounceCorpus.directory + "/exim-delayed.eml")!, as: UTF8.self
        )
        let signed = original.replacingOccurrences(
            of: "Envelope-to: newsletter@news.example.org",
            with: "Envelope-to: " + token.returnPath(bounceAddress: "bounces@news.example.org", delivery: 4711))
        let forged = original.replacingOccurrences(
            of: "Envelope-to: newsletter@news.example.org",
            with: "Envelope-to: "
                + VERPToken(key: Crypto.randomBytes(32))
                .returnPath(bounceAddress: "bounces@news.example.org", delivery: 4711))
        try signed.write(toFile: dir + "/signed.eml", atomically: true, encoding: .utf8)
        try forged.write(toFile: dir + "/forged.eml", atomically: true, encoding: .utf8)
        let args = ["--config", dir + "/outreach.conf", "bounces", "parse", "signed.eml", "forged.eml", "--json"]

        let withoutKey = try Self.lines(try TestSupport.outreachd(args, cwd: dir))
        #expect(withoutKey["signed.eml"]?["results"]?.arrayValue?.first?["delivery"] == .null)
        #expect(!FileManager.default.fileExists(atPath: data + "/link-key"), "parse must not create the link key")

        try (Crypto.base64URL(key) + "\n").write(toFile: data + "/link-key", atomically: true, encoding: .utf8)
        let withKey = try Self.lines(try TestSupport.outreachd(args, cwd: dir))
        #expect(withKey["signed.eml"]?["results"]?.arrayValue?.first?["delivery"] == 4711)
        #expect(withKey["signed.eml"]?["results"]?.arrayValue?.first?["kind"] == "delayed")
        #expect(withKey["forged.eml"]?["results"]?.arrayValue?.first?["delivery"] == .null)

        // No configuration and no data directory: parse works and creates nothing.
        let bare = TestSupport.temporaryDirectory("bare")
        let r = try TestSupport.outreachd(["bounces", "parse", dir + "/signed.eml"], cwd: bare)
        #expect(r.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: bare).isEmpty)
    }
}
