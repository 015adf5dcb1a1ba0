import COpenSSL
import Foundation

/// Hashes, MACs and random bytes from OpenSSL's libcrypto; nothing home-made.
public enum Crypto {
    /// Fetched once: `SHA256()` fetches the algorithm on every call in OpenSSL 3.
    nonisolated(unsafe) private static let sha256Algorithm = EVP_MD_fetch(nil, "SHA256", nil)

    public static func sha256(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        data.withUnsafeBufferPointer { p in _ = EVP_Digest(p.baseAddress, p.count, &out, nil, sha256Algorithm, nil) }
        return out
    }

    public static func hmacSHA256(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        hmac(EVP_sha256(), key: key, data)
    }

    /// Only for peers that still sign with it (Twilio's `X-Twilio-Signature`).
    public static func hmacSHA1(key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        hmac(EVP_sha1(), key: key, data)
    }

    private static func hmac(_ md: OpaquePointer?, key: [UInt8], _ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var len: UInt32 = 0
        key.withUnsafeBufferPointer { k in
            data.withUnsafeBufferPointer { d in
                _ = HMAC(md, k.baseAddress, Int32(k.count), d.baseAddress, d.count, &out, &len)
            }
        }
        return Array(out.prefix(Int(len)))
    }

    /// Cryptographically secure random bytes (for tokens, keys and MIME boundaries).
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        guard RAND_bytes(&out, Int32(count)) == 1 else { fatalError("OpenSSL RAND_bytes failed") }
        return out
    }

    /// Compares two MACs in time independent of where they differ.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    static let base64URLAlphabet: [UInt8] = Array(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// RFC 4648 §5 base64url without padding (links carry one per message, so no Foundation detour).
    public static func base64URL(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { base64URL($0) }
    }

    public static func base64URL(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        let rest = bytes.count % 3
        let count = bytes.count / 3 * 4 + (rest == 0 ? 0 : rest + 1)
        return String(unsafeUninitializedCapacity: count) { out in
            base64URLAlphabet.withUnsafeBufferPointer { a in
                var i = 0
                var o = 0
                while i + 2 < bytes.count {
                    let n = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
                    out[o] = a[Int(n >> 18 & 63)]
                    out[o + 1] = a[Int(n >> 12 & 63)]
                    out[o + 2] = a[Int(n >> 6 & 63)]
                    out[o + 3] = a[Int(n & 63)]
                    i += 3
                    o += 4
                }
                if bytes.count - i >= 1 {
                    let n = UInt32(bytes[i]) << 16 | (bytes.count - i == 2 ? UInt32(bytes[i + 1]) << 8 : 0)
                    out[o] = a[Int(n >> 18 & 63)]
                    out[o + 1] = a[Int(n >> 12 & 63)]
                    if bytes.count - i == 2 { out[o + 2] = a[Int(n >> 6 & 63)] }
                }
            }
            return count
        }
    }

    public static func base64URLDecode(_ s: String) -> [UInt8]? {
        var t = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while t.count % 4 != 0 { t += "=" }
        return Data(base64Encoded: t).map { Array($0) }
    }
}
