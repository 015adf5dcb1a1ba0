import COpenSSL
import Foundation

/// A public key that checks a peer's signatures (an SNS signing certificate's RSA key, SendGrid's
/// ECDSA key), through libcrypto's `EVP_DigestVerify`: nothing home-made.
///
/// Loaded once; OpenSSL lets threads verify with one key at once as long as nobody changes it.
public final class PublicKey: Sendable {
    /// The digests peers sign with.
    public enum Digest: Sendable {
        case sha1, sha256
    }

    nonisolated(unsafe) let key: OpaquePointer

    private init(_ key: OpaquePointer) { self.key = key }

    deinit { EVP_PKEY_free(key) }

    /// The key of a DER `SubjectPublicKeyInfo` (what `openssl pkey -pubout -outform DER` writes),
    /// or nil when the bytes are not one.
    public convenience init?(der: [UInt8]) {
        let loaded = der.withUnsafeBufferPointer { b -> OpaquePointer? in
            var p: UnsafePointer<UInt8>? = b.baseAddress
            return d2i_PUBKEY(nil, &p, b.count)
        }
        guard let loaded else { return nil }
        self.init(loaded)
    }

    /// The key of a PEM `PUBLIC KEY` block, or nil.
    public convenience init?(pem: [UInt8]) {
        let loaded = Self.withBIO(pem) { PEM_read_bio_PUBKEY($0, nil, nil, nil) }
        guard let loaded else { return nil }
        self.init(loaded)
    }

    /// The keys of every X.509 certificate in PEM text (several, while a peer rotates its
    /// certificate); empty when there is none. The certificates' dates and issuers are not
    /// checked: the file is the trust, put there by the operator.
    public static func certificateKeys(pem: [UInt8]) -> [PublicKey] {
        withBIO(pem) { bio in
            var keys: [PublicKey] = []
            while let cert = PEM_read_bio_X509(bio, nil, nil, nil) {
                defer { X509_free(cert) }
                if let k = X509_get_pubkey(cert) { keys.append(PublicKey(k)) }
            }
            ERR_clear_error()  // the loop ends on "no start line", which is not an error here
            return keys
        }
    }

    public var isRSA: Bool { EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA }
    public var isEC: Bool { EVP_PKEY_get_base_id(key) == EVP_PKEY_EC }

    /// Whether `signature` (PKCS #1 v1.5 for RSA, DER for ECDSA) signs `data` with this key.
    public func verify(_ signature: [UInt8], of data: [UInt8], digest: Digest) -> Bool {
        guard let ctx = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(ctx) }
        let md = digest == .sha1 ? EVP_sha1() : EVP_sha256()
        guard EVP_DigestVerifyInit(ctx, nil, md, nil, key) == 1 else {
            ERR_clear_error()
            return false
        }
        let ok = signature.withUnsafeBufferPointer { s in
            data.withUnsafeBufferPointer { d in
                EVP_DigestVerify(ctx, s.baseAddress, s.count, d.baseAddress, d.count)
            }
        }
        // A malformed signature leaves an error on this thread's queue; it must not surface later.
        if ok != 1 { ERR_clear_error() }
        return ok == 1
    }

    /// Runs `body` with a read-only memory BIO over `bytes`, which stay alive meanwhile.
    private static func withBIO<T>(_ bytes: [UInt8], _ body: (OpaquePointer?) -> T) -> T {
        bytes.withUnsafeBytes { raw in
            let bio = BIO_new_mem_buf(raw.baseAddress, Int32(clamping: raw.count))
            defer { BIO_free(bio) }
            return body(bio)
        }
    }
}
