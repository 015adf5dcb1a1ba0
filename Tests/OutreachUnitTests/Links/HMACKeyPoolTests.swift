import Foundation
import Synchronization
import Testing

@testable import Outreach

/// The pooled, prepared HMAC contexts under the uses the simple tests do not reach: several keys
/// (several signers) in one process on many threads at once, keys of unusual lengths, and link
/// tokens that must stay bound to their own purpose and key.
@Suite struct HMACKeyPoolTests {
    @Test func keysOfEveryLengthMACAsTheOneShotCall() {
        // Empty, shorter than SHA-256's block, exactly a block, and longer (hashed first).
        for length in [0, 1, 16, 32, 63, 64, 65, 128, 300] {
            let key = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) }
            let prepared = HMACKey(key)
            for data in [[], [0], Array("U|1|news|7|8|a@example.org".utf8)] as [[UInt8]] {
                #expect(prepared.mac(data) == Crypto.hmacSHA256(key: key, data), "key of \(length)")
                #expect(prepared.mac(data) == Crypto.hmacSHA256(key: key, data), "key of \(length), reused")
            }
        }
    }

    /// Sixteen threads, four keys: every MAC must be the one of its own key (a context handed to
    /// the wrong pool, or shared by two threads, would give another key's MAC or garbage).
    @Test func manyThreadsWithDifferentKeysAtOnce() {
        let keys = (0..<4).map { k in (0..<32).map { UInt8(truncatingIfNeeded: $0 * 31 + k * 101 + 1) } }
        let prepared = keys.map(HMACKey.init)
        let wrong = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 16) { thread in
            for i in 0..<300 {
                let k = (thread + i) % keys.count
                // Lengths that straddle SHA-256 blocks, so an update on a shared context would show.
                let data = Array(String(repeating: "t\(thread)m\(i)|", count: 1 + i % 23).utf8)
                if prepared[k].mac(data) != Crypto.hmacSHA256(key: keys[k], data) { wrong.withLock { $0 += 1 } }
            }
        }
        #expect(wrong.withLock { $0 } == 0)
    }

    /// Two signers with different keys in one process, signing and verifying on many threads: each
    /// verifies its own tokens and refuses the other's.
    @Test func twoSignersOnManyThreadsKeepTheirTokensApart() {
        let a = LinkSigner(key: Array(repeating: 1, count: 32), baseURL: "https://a")
        let b = LinkSigner(key: Array(repeating: 2, count: 32), baseURL: "https://b")
        let wrong = Mutex<[String]>([])
        DispatchQueue.concurrentPerform(iterations: 12) { thread in
            for i in 0..<100 {
                let (mine, other) = (thread + i) % 2 == 0 ? (a, b) : (b, a)
                let t = LinkToken(
                    action: [.unsubscribe, .confirm, .preferences][i % 3], list: "l\(thread)", address: "x\(i)@e.org",
                    expires: 2_000_000_000, contactID: i % 2 == 0 ? Int64(i) : nil,
                    issuedAt: i % 2 == 0 ? 1_700_000_000_000 : nil)
                let token = mine.token(t)
                if (try? mine.verify(token, now: 0)) != t { wrong.withLock { $0.append("own \(thread) \(i)") } }
                do {
                    _ = try other.verify(token, now: 0)
                    wrong.withLock { $0.append("other accepted \(thread) \(i)") }
                } catch {
                    if (error as? LinkTokenError) != .badSignature { wrong.withLock { $0.append("other: \(error)") } }
                }
            }
        }
        #expect(wrong.withLock { $0 }.isEmpty)
    }

    /// A token names its action inside the signed payload: changing the letter (or its case, which
    /// says whether a contact follows) breaks the signature, so an unsubscribe token cannot be
    /// replayed as a confirmation or a preferences token.
    @Test func aTokenCannotBeRelabelledForAnotherPurpose() throws {
        let signer = LinkSigner(key: Array(repeating: 9, count: 32), baseURL: "https://x")
        for contact in [nil, Int64(5)] {
            let t = LinkToken(
                action: .unsubscribe, list: "news", address: "a@example.org", expires: 2_000_000_000,
                contactID: contact, issuedAt: contact.map { _ in 1 })
            let token = signer.token(t)
            let parts = token.split(separator: ".")
            let signed = try #require(Crypto.base64URLDecode(String(parts[0])))
            for letter in ["c", "p", "C", "P", "u", "U"].map({ UInt8(ascii: Unicode.Scalar($0)!) })
            where letter != signed[0] {
                var payload = signed
                payload[0] = letter
                let forged = Crypto.base64URL(payload) + "." + parts[1]
                #expect(throws: LinkTokenError.badSignature) { try signer.verify(forged, now: 0) }
            }
        }
    }

    @Test func base64URLMatchesFoundation() {
        var rng = SystemRandomNumberGenerator()
        for length in 0..<200 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &rng) }
            let foundation = Data(bytes).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
            #expect(Crypto.base64URL(bytes) == foundation)
            #expect(Crypto.base64URLDecode(foundation) == bytes)
        }
    }
}
