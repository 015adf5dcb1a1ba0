import Foundation
import OutreachTestFixtures
import Testing

@testable import Outreach

/// The whole corpus against its manifest: every recipient and kind (and status, delivery) of every
/// message, in order.
@Suite struct BounceCorpusTests {
    @Test func manifestListsEveryMessage() throws {
        #expect(try BounceCorpus.all().map(\.file) == BounceCorpus.files())
    }

    @Test(arguments: try BounceCorpus.all())
    func parsesAsTheManifestSays(_ c: BounceCorpusCase) throws {
        let parser = BounceParser()
        guard let expected = c.results else {
            #expect(throws: BounceParseError.self) { try parser.parse(c.bytes) }
            return
        }
        let got = try parser.parse(c.bytes).results.map {
            BounceCorpusCase.Expected(
                recipient: $0.recipient, kind: $0.kind.rawValue, status: $0.status, delivery: $0.delivery)
        }
        #expect(got == expected)
    }

    /// Line ends do not matter: every message parses the same with CRLF and with LF.
    @Test(arguments: try BounceCorpus.all().filter { $0.results != nil })
    func lineEndsDoNotMatter(_ c: BounceCorpusCase) throws {
        let lf = c.bytes.filter { $0 != 0x0D }
        var crlf: [UInt8] = []
        for b in lf {
            if b == 0x0A { crlf.append(0x0D) }
            crlf.append(b)
        }
        let parser = BounceParser()
        #expect(try parser.parse(lf) == parser.parse(crlf))
    }
}
