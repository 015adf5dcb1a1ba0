import COpenSSL
import Foundation

/// Signs complete messages with DKIM (RFC 6376, relaxed/relaxed): rsa-sha256, or ed25519-sha256
/// (RFC 8463), through OpenSSL's libcrypto.
public final class DKIMSigner: @unchecked Sendable {
    public let domain: String
    public let selector: String
    public let algorithm: String
    /// EVP keys are safe to use for signing from several threads once loaded.
    private let key: OpaquePointer

    /// Header fields signed when present; From is signed twice so none can be added.
    static let signedHeaders = [
        "from", "to", "subject", "date", "message-id", "reply-to", "mime-version", "content-type",
        "list-id", "list-unsubscribe", "list-unsubscribe-post",
    ]

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
        key = k
    }

    deinit { EVP_PKEY_free(key) }

    /// Returns the message with a `DKIM-Signature` header in front.
    public func sign(_ message: [UInt8], time: Int = Int(Date().timeIntervalSince1970)) throws(DKIMError) -> [UInt8] {
        guard let split = Self.headerEnd(message) else { throw .malformedMessage }
        let bodyHash = Data(Crypto.sha256(DKIMCanonicalization.body(message[(split + 4)...]))).base64EncodedString()
        let fields = Self.headerFields(message[..<(split + 2)])
        var names: [String] = []
        var data: [UInt8] = []
        for name in Self.signedHeaders {
            guard let f = fields.last(where: { $0.name.lowercased() == name }) else { continue }
            names.append(name)
            data += Array((DKIMCanonicalization.header(name: f.name, value: f.value) + "\r\n").utf8)
        }
        names.append("from")  // over-signing: a second From would break the signature
        let tags =
            "v=1; a=\(algorithm); c=relaxed/relaxed; d=\(domain); s=\(selector); t=\(time); h=\(names.joined(separator: ":")); bh=\(bodyHash); b="
        data += Array(DKIMCanonicalization.header(name: "DKIM-Signature", value: tags).utf8)
        let signature = try sign(data)
        var b64 = Data(signature).base64EncodedString()
        // Fold the signature so no line exceeds 78 characters; white space inside b= is ignored.
        var folded = ""
        while b64.count > 70 {
            folded += String(b64.prefix(70)) + "\r\n\t"
            b64 = String(b64.dropFirst(70))
        }
        folded += b64
        let header =
            "DKIM-Signature: "
            + tags.replacingOccurrences(of: "; h=", with: ";\r\n\th=").replacingOccurrences(
                of: "; bh=", with: ";\r\n\tbh="
            )
            .replacingOccurrences(of: "; b=", with: ";\r\n\tb=") + folded + "\r\n"
        return Array(header.utf8) + message
    }

    private func sign(_ data: [UInt8]) throws(DKIMError) -> [UInt8] {
        guard let ctx = EVP_MD_CTX_new() else { throw .signingFailed("no memory") }
        defer { EVP_MD_CTX_free(ctx) }
        // Ed25519 signs the SHA-256 digest of the header data (RFC 8463); RSA hashes it itself.
        let input = algorithm == "ed25519-sha256" ? Crypto.sha256(data) : data
        let md = algorithm == "ed25519-sha256" ? nil : EVP_sha256()
        guard EVP_DigestSignInit(ctx, nil, md, nil, key) == 1 else { throw .signingFailed(Self.opensslError()) }
        var length = 0
        guard input.withUnsafeBufferPointer({ EVP_DigestSign(ctx, nil, &length, $0.baseAddress, $0.count) }) == 1 else {
            throw .signingFailed(Self.opensslError())
        }
        var out = [UInt8](repeating: 0, count: length)
        guard input.withUnsafeBufferPointer({ EVP_DigestSign(ctx, &out, &length, $0.baseAddress, $0.count) }) == 1
        else {
            throw .signingFailed(Self.opensslError())
        }
        return Array(out.prefix(length))
    }

    static func opensslError() -> String {
        var buf = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(ERR_get_error(), &buf, buf.count)
        return String(decoding: buf.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Index of the CRLF CRLF that ends the header block.
    static func headerEnd(_ m: [UInt8]) -> Int? {
        guard m.count >= 4 else { return nil }
        for i in 0...(m.count - 4) where m[i] == 0x0D && m[i + 1] == 0x0A && m[i + 2] == 0x0D && m[i + 3] == 0x0A {
            return i
        }
        return nil
    }

    /// Header fields with their (folded) values.
    static func headerFields(_ block: ArraySlice<UInt8>) -> [(name: String, value: String)] {
        let text = String(decoding: block, as: UTF8.self)
        var out: [(name: String, value: String)] = []
        for line in text.components(separatedBy: "\r\n") where !line.isEmpty {
            if line.first == " " || line.first == "\t", !out.isEmpty {
                out[out.count - 1].value += "\r\n" + line
            } else if let colon = line.firstIndex(of: ":") {
                out.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        return out
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
