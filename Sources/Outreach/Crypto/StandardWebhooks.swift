import Foundation

/// Signs and verifies Standard Webhooks (https://www.standardwebhooks.com): `webhook-id`,
/// `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`.
public struct StandardWebhooks: Sendable {
    /// How far a timestamp may be from now before a request is refused as a replay (seconds).
    public static let defaultTolerance: Double = 300

    let key: [UInt8]

    /// `secret` is `whsec_` followed by base64 (the prefix is optional, as in the reference libraries).
    public init(secret: String) throws(StandardWebhooksError) {
        var s = Substring(secret.trimmingCharacters(in: .whitespacesAndNewlines))
        if s.hasPrefix("whsec_") { s = s.dropFirst(6) }
        guard !s.isEmpty, let data = Data(base64Encoded: String(s)), !data.isEmpty else { throw .invalidSecret }
        key = Array(data)
    }

    /// The raw key bytes (for tests and for secrets given as bytes).
    public init(key: [UInt8]) { self.key = key }

    /// `v1,<base64 signature>` for one message.
    public func signature(id: String, timestamp: Int, body: [UInt8]) -> String {
        var signed = Array("\(id).\(timestamp).".utf8)
        signed += body
        return "v1," + Data(Crypto.hmacSHA256(key: key, signed)).base64EncodedString()
    }

    /// The three headers to send with `body`, in the order the spec lists them.
    public func headers(id: String, timestamp: Int, body: [UInt8]) -> [(name: String, value: String)] {
        [
            ("webhook-id", id), ("webhook-timestamp", String(timestamp)),
            ("webhook-signature", signature(id: id, timestamp: timestamp, body: body)),
        ]
    }

    /// Checks the headers of a received request; header names are matched case-insensitively.
    ///
    /// Returns the `webhook-id` (for idempotency). The signature header may hold several
    /// space-separated `v1,…` signatures (key rotation); one match suffices.
    @discardableResult
    public func verify(
        headers: [String: String], body: [UInt8], now: Date = Date(),
        tolerance: Double = StandardWebhooks.defaultTolerance
    ) throws(StandardWebhooksError) -> String {
        var lower: [String: String] = [:]
        for (k, v) in headers { lower[k.lowercased()] = v }
        guard let id = lower["webhook-id"], !id.isEmpty else { throw .missingHeader("webhook-id") }
        guard let ts = lower["webhook-timestamp"] else { throw .missingHeader("webhook-timestamp") }
        guard let sigs = lower["webhook-signature"], !sigs.isEmpty else { throw .missingHeader("webhook-signature") }
        guard let timestamp = Int(ts.trimmingCharacters(in: .whitespaces)) else { throw .invalidTimestamp(ts) }
        // In Double the difference cannot overflow; the message's whole seconds saturate instead of
        // trapping on a timestamp near Int.min (one such request once killed the daemon).
        let skew = now.timeIntervalSince1970 - Double(timestamp)
        if skew > tolerance { throw .timestampTooOld(seconds: Int(saturating: skew)) }
        if skew < -tolerance { throw .timestampInFuture(seconds: Int(saturating: -skew)) }
        let expected = Array(signature(id: id, timestamp: timestamp, body: body).utf8.dropFirst(3))
        for candidate in sigs.split(separator: " ") {
            let parts = candidate.split(separator: ",", maxSplits: 1)
            guard parts.count == 2, parts[0] == "v1" else { continue }
            if Crypto.constantTimeEqual(Array(parts[1].utf8), expected) { return id }
        }
        throw .signatureMismatch
    }
}

/// Why a Standard Webhooks secret or request was refused.
public enum StandardWebhooksError: Error, Equatable, Sendable, CustomStringConvertible {
    case invalidSecret
    case missingHeader(String)
    case invalidTimestamp(String)
    case timestampTooOld(seconds: Int)
    case timestampInFuture(seconds: Int)
    case signatureMismatch

    public var description: String {
        switch self {
        case .invalidSecret: return "The webhook secret must be whsec_ followed by base64 key bytes."
        case .missingHeader(let h): return "The request has no \(h) header."
        case .invalidTimestamp(let t): return "The webhook-timestamp \"\(t)\" is not a Unix time in seconds."
        case .timestampTooOld(let s):
            return "The webhook-timestamp is \(s) seconds old, more than the 5 minutes allowed."
        case .timestampInFuture(let s):
            return "The webhook-timestamp is \(s) seconds in the future, more than the 5 minutes allowed."
        case .signatureMismatch: return "No webhook-signature matches the body with the configured secret."
        }
    }
}
