import COpenSSL
import Synchronization

/// An HMAC-SHA256 key prepared once: the MAC and digest fetched and the key's inner and outer
/// pads hashed when a context is made; each MAC then restarts a context with the same key.
/// `HMAC()` fetches both algorithms and hashes the key again on every call (OpenSSL 3), which
/// cost more than the MAC itself for the two link tokens of each message.
///
/// Contexts are kept in a small pool: a thread takes one for a MAC and gives it back, so threads
/// never share one.
public final class HMACKey: @unchecked Sendable {
    nonisolated(unsafe) private static let algorithm = EVP_MAC_fetch(nil, "HMAC", nil)
    private let key: [UInt8]
    /// Contexts initialised with `key`, free for the next MAC.
    private let idle = Mutex<[Context]>([])

    /// Owns one EVP_MAC_CTX (freed with it).
    private final class Context: @unchecked Sendable {
        let ctx: OpaquePointer
        init(_ ctx: OpaquePointer) { self.ctx = ctx }
        deinit { EVP_MAC_CTX_free(ctx) }
    }

    public init(_ key: [UInt8]) {
        self.key = key
    }

    /// A context with the key set; nil if libcrypto refuses (then `mac` uses the one-shot call).
    private func makeContext() -> Context? {
        guard let ctx = EVP_MAC_CTX_new(Self.algorithm) else { return nil }
        let context = Context(ctx)
        var digest = Array("SHA256".utf8CString)
        let ok = digest.withUnsafeMutableBufferPointer { d in
            var params = [
                OSSL_PARAM_construct_utf8_string("digest", d.baseAddress, 0), OSSL_PARAM_construct_end(),
            ]
            return key.withUnsafeBufferPointer { k in EVP_MAC_init(ctx, k.baseAddress, k.count, &params) == 1 }
        }
        return ok ? context : nil
    }

    /// HMAC-SHA256 of `data` (32 bytes), the same as `Crypto.hmacSHA256(key:_:)`.
    public func mac(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        let reused = idle.withLock { $0.popLast() }
        // A context back from the pool restarts with its key (a NULL key keeps the one it has).
        guard let context = reused.flatMap({ EVP_MAC_init($0.ctx, nil, 0, nil) == 1 ? $0 : nil }) ?? makeContext()
        else {
            return Crypto.hmacSHA256(key: key, Array(data))
        }
        _ = EVP_MAC_update(context.ctx, data.baseAddress?.assumingMemoryBound(to: UInt8.self), data.count)
        let out = [UInt8](unsafeUninitializedCapacity: 32) { out, count in
            var written = 0
            _ = EVP_MAC_final(context.ctx, out.baseAddress, &written, 32)
            count = written
        }
        idle.withLock { if $0.count < 16 { $0.append(context) } }
        return out
    }

    public func mac(_ data: [UInt8]) -> [UInt8] {
        data.withUnsafeBytes { mac($0) }
    }
}
