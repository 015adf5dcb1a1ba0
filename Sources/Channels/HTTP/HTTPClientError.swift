import CCurl

/// A request that got no HTTP response. `url` is the endpoint as `SecretRedactor.endpoint` shows it.
public enum HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The peer did not answer in time.
    case timeout(url: String, message: String)
    /// Connecting, resolving, TLS or the transfer itself failed; libcurl's code and message.
    case transport(url: String, code: Int, message: String)
    /// The request can never work as written (malformed URL, unsupported scheme).
    case invalidRequest(url: String, message: String)

    public var description: String {
        switch self {
        case .timeout(let u, let m): return "No answer from \(u) in time: \(m)."
        case .transport(let u, _, let m): return "The request to \(u) failed: \(m)."
        case .invalidRequest(let u, let m): return "The request to \(u) cannot be made: \(m)."
        }
    }
}

extension HTTPClientError {
    /// libcurl's codes for a peer that could not be reached at all: DNS, connection refused or
    /// timed out, TLS handshake or certificate. Not "empty reply": the peer read the request and
    /// may have acted on it, so a resend must spend an attempt.
    static let unreachableCodes: Set<Int> = [
        Int(CURLE_COULDNT_RESOLVE_PROXY.rawValue), Int(CURLE_COULDNT_RESOLVE_HOST.rawValue),
        Int(CURLE_COULDNT_CONNECT.rawValue), Int(CURLE_SSL_CONNECT_ERROR.rawValue),
        Int(CURLE_PEER_FAILED_VERIFICATION.rawValue),
    ]

    /// True when the request never reached an answering peer: the channel, not the message, failed.
    public var isUnreachable: Bool {
        if case .transport(_, let code, _) = self { return Self.unreachableCodes.contains(code) }
        return false
    }
}
