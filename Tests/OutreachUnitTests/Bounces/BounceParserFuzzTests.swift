import Foundation
import OutreachTestFixtures
import Testing

@testable import Outreach

/// Mutations of the corpus through the parser, in process: whatever the bytes, `parse` returns or
/// throws `BounceParseError` — no crash, no endless loop — and what it returns is well formed.
/// Seeded (SplitMix64) and bounded, like the end-to-end fuzz targets (docs/testing.md);
/// `OUTREACH_FUZZ_SEED` and `OUTREACH_FUZZ_ONLY` rerun a case.
@Suite struct BounceParserFuzzTests {
    static let cases = 2_000
    static let defaultSeed: UInt64 = 0x2026_0217_0002

    static let mutator = FuzzMutator(
        dictionary: [
            "\n", "\r\n", "\n\n", "--", "--b--", "\n--", "Content-Type: multipart/report; boundary=", "boundary=\"",
            "Content-Type: message/delivery-status\n\n", "Content-Type: message/feedback-report\n\n",
            "Content-Type: message/rfc822\n\n", "Content-Transfer-Encoding: base64\n",
            "Content-Transfer-Encoding: quoted-printable\n", "Final-Recipient: rfc822; ", "Original-Recipient: utf-8; ",
            "Action: failed\n", "Action: delayed\n", "Status: 5.1.1\n", "Status: 4.", "Diagnostic-Code: smtp; 550 ",
            "\\x{", "\\x{FFFFFFFF}", "\\x{D800}", "=?UTF-8?B?", "=?UTF-8?Q?", "?=", "=", "=\n", "=0", "<", ">", "@",
            "+",
            "X-Outreach-Delivery: ", "Message-ID: <outreach.", "Auto-Submitted: auto-replied\n", "\t", " ", ":", ";",
            "----- The following addresses had permanent fatal errors -----\n", "The following address(es) failed:\n",
            "Delivery has failed to these recipients or groups:\n", "--- Below this line is a copy of the message.\n",
        ],
        nesting: [("Content-Type: multipart/mixed; boundary=n\n\n--n\n", "\n--n--\n"), ("<", ">"), ("=?", "?=")])

    @Test func mutatedCorpusMessagesParseOrThrow() throws {
        let env = ProcessInfo.processInfo.environment
        let seed =
            env["OUTREACH_FUZZ_SEED"].flatMap { s in
                s.hasPrefix("0x") ? UInt64(s.dropFirst(2), radix: 16) : UInt64(s)
            } ?? Self.defaultSeed
        let corpus = try BounceCorpus.all().map(\.bytes)
        let parser = BounceParser(verp: VERPToken(key: Array(repeating: 1, count: 32)))
        let indices = env["OUTREACH_FUZZ_ONLY"].flatMap { Int($0) }.map { [$0] } ?? Array(0..<Self.cases)
        for index in indices {
            var rng = SplitMix64.forCase(seed: seed, target: "bounces", index: index)
            let input = Self.mutator.mutate(rng.pick(corpus), &rng)
            let where_ = "case \(index) (OUTREACH_FUZZ_SEED=0x\(String(seed, radix: 16)) OUTREACH_FUZZ_ONLY=\(index))"
            do {
                for r in try parser.parse(input).results {
                    if let a = r.recipient {
                        #expect(!a.isEmpty && !a.contains(" ") && !a.contains("<") && !a.contains(">"), "\(where_)")
                    }
                    if let s = r.status { #expect(BounceClassifier.enhancedStatus(in: s) == s, "\(where_)") }
                    if let d = r.diagnostic { #expect(!d.contains("\n"), "\(where_)") }
                }
            } catch {
                #expect(!error.description.isEmpty, "\(where_)")
            }
        }
    }
}
