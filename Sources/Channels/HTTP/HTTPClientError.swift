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
