import COpenSSL
import Foundation
import Synchronization

/// Signs complete messages with DKIM (RFC 6376, relaxed/relaxed): rsa-sha256, or ed25519-sha256
/// (RFC 8463), through OpenSSL's libcrypto.
///
/// Everything OpenSSL 3 would look up by name on each signature (the SHA-256 implementation, the
/// signature method, the key's provider context) is set up once per `DKIMSigningContext`; a
/// signature then costs what `openssl speed` measures plus one pass over the message.
public final class DKIMSigner: Sendable {
    public let domain: String
    public let selector: String
    public let algorithm: String
    let isEd25519: Bool
    /// The loaded key, only read (duplicated for each context) once loaded.
    nonisolated(unsafe) let key: OpaquePointer
    /// Contexts for `sign(_:time:)` callers without one of their own; one per concurrent caller.
    private let spare = Mutex<[DKIMSigningContext]>([])

    /// Fetched once: OpenSSL 3 fetches the implementation by name each time `EVP_sha256()` is used.
    nonisolated(unsafe) static let sha256 = EVP_MD_fetch(nil, "SHA256", nil)

    /// Header fields signed when present; From is signed twice so none can be added.
    static let signedHeaders = [
        "from", "to", "subject", "date", "message-id", "reply-to", "mime-version", "content-type",
        "list-id", "list-unsubscribe", "list-unsubscribe-post",
    ]
    static let signedHeaderBytes = signedHeaders.map { Array($0.utf8) }

    public init(domain: String, selector: String, keyPEM: String, keyName: String = "key") throws(DKIMError) {
        self.domain = domain
        self.selector = selector
        // The BIO reads the caller's memory without copying it: keep the bytes alive while it does.
        let pem = Array((keyPEM.hasSuffix("\n") ? keyPEM : keyPEM + "\n").utf8)
        let loaded = pem.withUnsafeBytes { raw -> OpaquePointer? in
            let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count))
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let k = loaded else { throw .unreadableKey(path: keyName) }
        switch EVP_PKEY_get_base_id(k) {
        case EVP_PKEY_RSA: algorithm = "rsa-sha256"
        case EVP_PKEY_ED25519: algorithm = "ed25519-sha256"
        default:
            EVP_PKEY_free(k)
            throw .unsupportedKey(String(cString: OBJ_nid2sn(EVP_PKEY_get_base_id(k))))
        }
        isEd25519 = algorithm == "ed25519-sha256"
        key = k
        // A key that loads but cannot sign is refused now, not at the first message.
        let first = try DKIMSigningContext(self)
        spare.withLock { $0.append(first) }
    }

    deinit { EVP_PKEY_free(key) }

    /// A context for one thread's signatures (see `DKIMSigningContext`).
    public func makeContext() throws(DKIMError) -> DKIMSigningContext { try DKIMSigningContext(self) }

    /// Returns the message with a `DKIM-Signature` header in front.
    public func sign(_ message: [UInt8], time: Int = Int(Date().timeIntervalSince1970)) throws(DKIMError) -> [UInt8] {
        try signatureHeader(message, time: time) + message
    }

    /// The `DKIM-Signature` header field (with its CRLF) to put in front of `message`.
    public func signatureHeader(_ message: [UInt8], time: Int = Int(Date().timeIntervalSince1970)) throws(DKIMError)
        -> [UInt8]
    {
        let context: DKIMSigningContext
        if let c = spare.withLock({ $0.popLast() }) { context = c } else { context = try DKIMSigningContext(self) }
        defer { spare.withLock { $0.append(context) } }
        return try signatureHeader(message, time: time, using: context)
    }

    /// The `DKIM-Signature` header field for `message`, signed with `context`, which no other
    /// thread may be using at the same time.
    public func signatureHeader(
        _ message: [UInt8], time: Int = Int(Date().timeIntervalSince1970),
        using context: DKIMSigningContext
    ) throws(DKIMError) -> [UInt8] {
        let parts = message.withUnsafeBufferPointer { m -> (bodyHash: [UInt8], data: [UInt8], names: [UInt8])? in
            guard let split = Self.headerEnd(m) else { return nil }
            let bodyHash = context.hash(UnsafeBufferPointer(rebasing: m[(split + 4)...]))
            var data: [UInt8] = []
            data.reserveCapacity(1024)
            var names: [UInt8] = []
            let fields = Self.headerFields(UnsafeBufferPointer(rebasing: m[..<(split + 2)]))
            for name in Self.signedHeaderBytes {
                guard let f = fields.last(where: { Self.sameName(m, $0.name, name) }) else { continue }
                DKIMCanonicalization.header(
                    name: UnsafeBufferPointer(rebasing: m[f.name]), value: UnsafeBufferPointer(rebasing: m[f.value]),
                    to: &data)
                data += [0x0D, 0x0A]
                names += name
                names.append(UInt8(ascii: ":"))
            }
            names += Self.signedHeaderBytes[0]  // over-signing: a second From would break the signature
            return (bodyHash, data, names)
        }
        guard case (let bodyHash, var data, let names)? = parts else { throw .malformedMessage }
        let head = "v=1; a=\(algorithm); c=relaxed/relaxed; d=\(domain); s=\(selector); t=\(time); h="
        // The tags as signed (unfolded) and as sent (folded before h=, bh= and b=); relaxed
        // canonicalisation makes "\r\n\t" and " " the same, so the signature covers both.
        let tags = Array(head.utf8) + names + Array("; bh=".utf8) + Self.base64(bodyHash) + Array("; b=".utf8)
        Self.dkimSignatureName.withUnsafeBufferPointer { n in
            tags.withUnsafeBufferPointer { v in DKIMCanonicalization.header(name: n, value: v, to: &data) }
        }
        let signature = try context.sign(data)
        var header = Array("DKIM-Signature: ".utf8)
        header.reserveCapacity(600)
        header += Array(head.dropLast(3).utf8)  // up to "t=…;"
        header += Array("\r\n\th=".utf8) + names
        header += Array(";\r\n\tbh=".utf8) + Self.base64(bodyHash)
        header += Array(";\r\n\tb=".utf8)
        // Fold the signature so no line exceeds 78 characters; white space inside b= is ignored.
        let b64 = Self.base64(signature)
        var start = 0
        while b64.count - start > 70 {
            header += b64[start..<start + 70]
            header += [0x0D, 0x0A, 0x09]
            start += 70
        }
        header += b64[start...]
        header += [0x0D, 0x0A]
        return header
    }

    static let dkimSignatureName = Array("DKIM-Signature".utf8)

    static func base64(_ bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: (bytes.count + 2) / 3 * 4 + 1)
        let n = bytes.withUnsafeBufferPointer { EVP_EncodeBlock(&out, $0.baseAddress, Int32($0.count)) }
        out.removeLast(out.count - Int(n))
        return out
    }

    static func opensslError() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(ERR_get_error(), &buf, buf.count)
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Index of the CRLF CRLF that ends the header block.
    static func headerEnd(_ m: UnsafeBufferPointer<UInt8>) -> Int? {
        guard m.count >= 4 else { return nil }
        var i = 0
        while i <= m.count - 4 {
            if m[i] == 0x0D && m[i + 1] == 0x0A && m[i + 2] == 0x0D && m[i + 3] == 0x0A { return i }
            i += 1
        }
        return nil
    }

    /// Header fields as ranges of the message: the name, and the (folded) value after the colon.
    static func headerFields(_ block: UnsafeBufferPointer<UInt8>) -> [(name: Range<Int>, value: Range<Int>)] {
        var out: [(name: Range<Int>, value: Range<Int>)] = []
        let base = block.startIndex
        var i = 0
        while i < block.count {
            // One line: [i, end), not counting its CRLF.
            var end = i
            while end < block.count, !(block[end] == 0x0D && end + 1 < block.count && block[end + 1] == 0x0A) {
                end += 1
            }
            if end > i {
                if DKIMCanonicalization.isWSP(block[i]), !out.isEmpty {
                    let f = out[out.count - 1]
                    out[out.count - 1].value = f.value.lowerBound..<(base + end)
                } else if let colon = (i..<end).first(where: { block[$0] == UInt8(ascii: ":") }) {
                    out.append((name: (base + i)..<(base + colon), value: (base + colon + 1)..<(base + end)))
                }
            }
            i = end + 2
        }
        return out
    }

    /// Whether the name at `range` of `m`, without trailing white space, is `lower` in any case.
    static func sameName(_ m: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ lower: [UInt8]) -> Bool {
        var end = range.upperBound
        while end > range.lowerBound, DKIMCanonicalization.isWSP(m[end - 1]) { end -= 1 }
        guard end - range.lowerBound == lower.count else { return false }
        for (k, b) in lower.enumerated() {
            let c = m[range.lowerBound + k]
            if (c >= 0x41 && c <= 0x5A ? c | 0x20 : c) != b { return false }
        }
        return true
    }
}

extension DKIMSigner {
    /// The signer a channel section asks for (`dkim_domain`, `dkim_selector`, `dkim_key_file`), or nil.
    public convenience init?(section: ConfigSection) throws {
        guard let domain = try section.string("dkim_domain") else { return nil }
        let selector = try section.requireString("dkim_selector")
        guard let pem = try section.secret("dkim_key") else {
            throw ConfigError.missing(file: section.file, section: section.name, key: "dkim_key_file")
        }
        let keyName = try section.string("dkim_key_file") ?? "dkim_key"
        do throws(DKIMError) { try self.init(domain: domain, selector: selector, keyPEM: pem, keyName: keyName) } catch
        {
            throw section.invalid("dkim_key_file", "is not usable: \(error.description)")
        }
    }
}

/// What one thread needs to sign, prepared once: its own copy of the key (OpenSSL keeps an RSA
/// key's blinding values for the thread that first used it; other threads share a locked second
/// set), a signing context initialised for PKCS#1 v1.5 with SHA-256 that every RSA signature
/// reuses (as `openssl speed` does), or for Ed25519 an initialised context that each signature
/// copies, and a digest context for the body hash.
///
/// Not for two threads at once: each signing thread keeps its own.
public final class DKIMSigningContext: @unchecked Sendable {
    let isEd25519: Bool
    private let key: OpaquePointer
    /// RSA: EVP_PKEY_CTX after EVP_PKEY_sign_init, padding and digest set.
    private let rsa: OpaquePointer?
    /// Ed25519: EVP_MD_CTX after EVP_DigestSignInit, copied for each signature.
    private let ed25519: OpaquePointer?
    private let work: OpaquePointer
    private let digest: OpaquePointer
    private let signatureSize: Int

    init(_ signer: DKIMSigner) throws(DKIMError) {
        isEd25519 = signer.isEd25519
        guard let key = EVP_PKEY_dup(signer.key) else { throw .signingFailed(DKIMSigner.opensslError()) }
        self.key = key
        guard let work = EVP_MD_CTX_new(), let digest = EVP_MD_CTX_new() else {
            EVP_PKEY_free(key)
            throw .signingFailed("no memory")
        }
        self.work = work
        self.digest = digest
        signatureSize = Int(EVP_PKEY_get_size(key))
        if isEd25519 {
            rsa = nil
            let template = EVP_MD_CTX_new()
            ed25519 = template
            guard let template, EVP_DigestSignInit(template, nil, nil, nil, key) == 1 else {
                throw .signingFailed(DKIMSigner.opensslError())
            }
        } else {
            ed25519 = nil
            let ctx = EVP_PKEY_CTX_new_from_pkey(nil, key, nil)
            rsa = ctx
            guard let ctx, EVP_PKEY_sign_init(ctx) == 1, EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) == 1,
                EVP_PKEY_CTX_set_signature_md(ctx, DKIMSigner.sha256) == 1
            else { throw .signingFailed(DKIMSigner.opensslError()) }
        }
    }

    deinit {
        if let rsa { EVP_PKEY_CTX_free(rsa) }
        if let ed25519 { EVP_MD_CTX_free(ed25519) }
        EVP_MD_CTX_free(work)
        EVP_MD_CTX_free(digest)
        EVP_PKEY_free(key)
    }

    /// SHA-256 of the relaxed canonical form of `body`, hashed as it is canonicalised.
    func hash(_ body: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        _ = EVP_DigestInit_ex(digest, DKIMSigner.sha256, nil)
        DKIMCanonicalization.body(body) { piece in _ = EVP_DigestUpdate(digest, piece.baseAddress, piece.count) }
        var out = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        _ = EVP_DigestFinal_ex(digest, &out, nil)
        return out
    }

    func sha256(_ data: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        _ = EVP_DigestInit_ex(digest, DKIMSigner.sha256, nil)
        _ = data.withUnsafeBufferPointer { EVP_DigestUpdate(digest, $0.baseAddress, $0.count) }
        _ = EVP_DigestFinal_ex(digest, &out, nil)
        return out
    }

    /// The signature of the canonical header data.
    func sign(_ data: [UInt8]) throws(DKIMError) -> [UInt8] {
        // Both sign the SHA-256 of the header data: RSA through PKCS#1's DigestInfo, Ed25519 as
        // its message (RFC 8463).
        let hashed = sha256(data)
        var out = [UInt8](repeating: 0, count: max(signatureSize, 64))
        var length = out.count
        if let rsa {
            guard EVP_PKEY_sign(rsa, &out, &length, hashed, hashed.count) == 1 else {
                throw .signingFailed(DKIMSigner.opensslError())
            }
        } else if let ed25519 {
            // A copy of the prepared context, or (where the provider cannot copy one) a new one.
            if EVP_MD_CTX_copy_ex(work, ed25519) != 1 {
                ERR_clear_error()
                guard EVP_DigestSignInit(work, nil, nil, nil, key) == 1 else {
                    throw .signingFailed(DKIMSigner.opensslError())
                }
            }
            guard EVP_DigestSign(work, &out, &length, hashed, hashed.count) == 1 else {
                throw .signingFailed(DKIMSigner.opensslError())
            }
        }
        out.removeLast(out.count - length)
        return out
    }
}
