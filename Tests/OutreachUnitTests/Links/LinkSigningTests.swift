import Foundation
import Synchronization
import Testing

@testable import Outreach

/// The prepared HMAC key and the byte-built link payload against the straightforward versions
/// they replaced: links already sent must keep verifying.
@Suite struct LinkSigningTests {
    let key = (0..<32).map { UInt8($0 * 7 % 256) }

    @Test func aPreparedKeyMACsAsTheOneShotCall() {
        let prepared = HMACKey(key)
        for length in [0, 1, 31, 32, 63, 64, 65, 200, 5000] {
            let data = (0..<length).map { UInt8(($0 * 31 + length) % 256) }
            // Twice: the second MAC restarts a context from the pool.
            #expect(prepared.mac(data) == Crypto.hmacSHA256(key: key, data))
            #expect(prepared.mac(data) == Crypto.hmacSHA256(key: key, data))
        }
    }

    @Test func threadsMACWithOneKeyAtOnce() {
        let prepared = HMACKey(key)
        let wrong = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for i in 0..<200 {
                let data = Array("thread \(thread) message \(i)".utf8)
                if prepared.mac(data) != Crypto.hmacSHA256(key: key, data) { wrong.withLock { $0 += 1 } }
            }
        }
        #expect(wrong.withLock { $0 } == 0)
    }

    /// The payload as it was written before: `u|EXPIRES|LIST|ADDRESS` or `U|EXPIRES|LIST|ID|ISSUED|ADDRESS`.
    func reference(_ t: LinkToken) -> String {
        let text =
            t.contactID.map {
                "\(t.action.rawValue.uppercased())|\(t.expires)|\(t.list)|\($0)|\(t.issuedAt!)|\(t.address)"
            } ?? "\(t.action.rawValue)|\(t.expires)|\(t.list)|\(t.address)"
        let payload = Array(text.utf8)
        return Crypto.base64URL(payload) + "."
            + Crypto.base64URL(Array(Crypto.hmacSHA256(key: key, payload).prefix(16)))
    }

    @Test func tokensAreTheSameBytesAsBefore() throws {
        let signer = LinkSigner(key: key, baseURL: "https://x")
        for action in [LinkToken.Action.unsubscribe, .confirm, .preferences] {
            for contact in [nil, Int64(42)] {
                for (list, address) in [("news", "a@example.org"), ("", "ø@example.dk"), ("l-x", "+4512345678")] {
                    let t = LinkToken(
                        action: action, list: list, address: address, expires: 1_900_000_000, contactID: contact,
                        issuedAt: contact.map { _ in 1_800_000_000_123 })
                    let token = signer.token(t)
                    #expect(token == reference(t))
                    #expect(try signer.verify(token, now: 0) == t)
                }
            }
        }
    }
}
