import Foundation
import OutreachTestFixtures
import Testing

@testable import Outreach

/// The signed VERP token: what it looks like, that it survives case folding, and that an altered,
/// forged or foreign one names no delivery.
@Suite struct VERPTokenTests {
    let verp = VERPToken(key: Array(repeating: 7, count: 32))

    @Test func returnPathNamesTheDelivery() {
        let path = verp.returnPath(bounceAddress: "bounces@news.example.org", delivery: 1_000_000)
        let token = verp.token(delivery: 1_000_000)
        #expect(path == "bounces+\(token)@news.example.org")
        #expect(token.hasPrefix("lfls-"))
        #expect(token.count == 4 + 1 + VERPToken.macLength)
        #expect(token.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" })
        #expect(verp.delivery(fromAddress: path) == 1_000_000)
        #expect(verp.delivery(fromAddress: "<\(path)>") == 1_000_000)
    }

    @Test(arguments: [Int64(0), 1, 35, 36, 42, 9_999_999_999, Int64.max])
    func everyIDRoundTrips(_ id: Int64) {
        #expect(verp.delivery(fromAddress: verp.returnPath(bounceAddress: "b@x.example", delivery: id)) == id)
    }

    /// Relays may fold the local part's case; the token is all lowercase, so it reads back either way.
    @Test func caseFoldingKeepsTheToken() {
        let path = verp.returnPath(bounceAddress: "Bounces@News.Example.org", delivery: 4242)
        #expect(verp.delivery(fromAddress: path.uppercased()) == 4242)
        #expect(verp.delivery(fromAddress: path.lowercased()) == 4242)
    }

    @Test func alteredForgedOrForeignTokensNameNothing() {
        let token = verp.token(delivery: 77)
        let mac = token.split(separator: "-")[1]
        // Another id with the MAC of 77.
        #expect(verp.delivery(fromAddress: "bounces+\(String(78, radix: 36))-\(mac)@x.example") == nil)
        // One character of the MAC changed.
        var altered = Array(token)
        altered[altered.count - 1] = altered.last == "a" ? "b" : "a"
        #expect(verp.delivery(fromAddress: "bounces+\(String(altered))@x.example") == nil)
        // Made with another key.
        let other = VERPToken(key: Array(repeating: 8, count: 32))
        #expect(verp.delivery(fromAddress: other.returnPath(bounceAddress: "bounces@x.example", delivery: 77)) == nil)
        // Shapes that are no token at all.
        for a in [
            "bounces@x.example", "bounces+@x.example", "bounces+2t@x.example", "bounces+-abcdefghij@x.example",
            "bounces+02t-\(mac)@x.example", "bounces+2t-\(mac)x@x.example", "bounces+\(token)", "",
            "bounces+zzzzzzzzzzzzzz-\(mac)@x.example", "bounces+2t-\(mac)-x@x.example",
        ] {
            #expect(verp.delivery(fromAddress: a) == nil, "\(a)")
        }
    }

    /// A verified token in the address the report was sent to wins over returned headers; a forged
    /// one is ignored and attribution falls back to them.
    @Test func attributionPrefersAVerifiedTokenAndIgnoresAForgedOne() throws {
        let c = try #require(try BounceCorpus.all().first { $0.file == "postfix-user-unknown.eml" })
        let original = String(decoding: c.bytes, as: UTF8.self)
        let parser = BounceParser(verp: verp)
        let path = verp.returnPath(bounceAddress: "bounces@news.example.org", delivery: 555)
        let signed = original.replacingOccurrences(
            of: "To: bounces@news.example.org", with: "To: \"Bounces\" <\(path)>")
        #expect(try parser.parse(Array(signed.utf8)).results.map(\.delivery) == [555])
        let forged = original.replacingOccurrences(
            of: "To: bounces@news.example.org", with: "To: bounces+fe-abcdefghij@news.example.org")
        #expect(try parser.parse(Array(forged.utf8)).results.map(\.delivery) == [101])
        // Without a key tokens are not read at all.
        #expect(try BounceParser().parse(Array(signed.utf8)).results.map(\.delivery) == [101])
        // Delivered-To works as well as To (the relay's local delivery adds it).
        let delivered = original.replacingOccurrences(
            of: "Delivered-To: bounces@news.example.org", with: "Delivered-To: \(path)")
        #expect(try parser.parse(Array(delivered.utf8)).results.map(\.delivery) == [555])
    }

    @Test func base32IsRFC4648Lowercase() {
        // RFC 4648 §10: BASE32("foobar") = "MZXW6YTBOI======".
        #expect(VERPToken.base32Lowercase(Array("foobar".utf8), characters: 10) == "mzxw6ytboi")
        #expect(VERPToken.base32Lowercase(Array("f".utf8), characters: 2) == "my")
    }
}
