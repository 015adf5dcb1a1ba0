import Foundation

/// The signed token in a VERP return path (`bounces+TOKEN@domain`): it names the delivery a bounce
/// is about even when the relay returns none of the original message.
///
/// TOKEN is the delivery id in base 36, a hyphen, and the first 50 bits of
/// HMAC-SHA256(key, "verp:" + id) in lowercase base32 (10 characters): only lowercase letters, digits
/// and a hyphen, so a relay that folds the local part's case does not break it. The key is the link
/// key (`link-key` in the data directory); the "verp:" prefix keeps its MACs apart from links'.
public struct VERPToken: Sendable {
    /// The link key, prepared for HMAC (a return path is signed for every message of a channel
    /// with a bounce address).
    let hmac: HMACKey

    /// Characters of MAC in a token (5 bits each).
    static let macLength = 10

    /// - Parameter key: the link key (LinkSigner's key bytes).
    public init(key: [UInt8]) {
        hmac = HMACKey(key)
    }

    /// With a key already prepared: `LinkSigner.verp` shares the links' own.
    init(mac: HMACKey) {
        hmac = mac
    }

    /// The token for one delivery (`2s-k3jq8xw2ma`).
    public func token(delivery: Int64) -> String {
        let id = String(delivery, radix: 36)
        return id + "-" + mac(id)
    }

    /// `bounces+TOKEN@domain` for a delivery, from `bounce_address = "bounces@domain"`.
    public func returnPath(bounceAddress: String, delivery: Int64) -> String {
        guard let at = bounceAddress.lastIndex(of: "@") else { return bounceAddress + "+" + token(delivery: delivery) }
        return bounceAddress[..<at] + "+" + token(delivery: delivery) + bounceAddress[at...]
    }

    /// The delivery named by a VERP address (any local-part `base+TOKEN`, with or without angle
    /// brackets), nil when absent or forged.
    public func delivery(fromAddress: String) -> Int64? {
        var a = Substring(fromAddress.trimmingSpaces)
        if a.hasPrefix("<") { a = a.dropFirst() }
        if a.hasSuffix(">") { a = a.dropLast() }
        guard let at = a.lastIndex(of: "@") else { return nil }
        let local = a[..<at]
        guard let plus = local.lastIndex(of: "+") else { return nil }
        return delivery(fromToken: local[local.index(after: plus)...])
    }

    /// The delivery a bare token names, nil when it is malformed or its MAC does not match.
    public func delivery(fromToken token: Substring) -> Int64? {
        let t = token.lowercased()
        let parts = t.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...13).contains(parts[0].utf8.count), parts[1].utf8.count == Self.macLength,
            let id = Int64(parts[0], radix: 36), id >= 0, String(id, radix: 36) == parts[0]
        else { return nil }
        guard Crypto.constantTimeEqual(Array(mac(String(parts[0])).utf8), Array(parts[1].utf8)) else { return nil }
        return id
    }

    private func mac(_ id: String) -> String {
        let digest = hmac.mac(Array(("verp:" + id).utf8))
        return Self.base32Lowercase(digest, characters: Self.macLength)
    }

    static let base32Alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    /// The first `characters` base32 (RFC 4648 alphabet, lowercase) characters of `bytes`.
    static func base32Lowercase(_ bytes: [UInt8], characters: Int) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(characters)
        var buffer: UInt32 = 0
        var bits = 0
        var i = 0
        while out.count < characters {
            if bits < 5 {
                buffer = buffer << 8 | UInt32(i < bytes.count ? bytes[i] : 0)
                bits += 8
                i += 1
            }
            out.append(base32Alphabet[Int(buffer >> UInt32(bits - 5) & 31)])
            bits -= 5
        }
        return String(decoding: out, as: UTF8.self)
    }
}
