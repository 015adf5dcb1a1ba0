/// Why a DKIM key could not be used.
public enum DKIMError: Error, Equatable, CustomStringConvertible {
    case unreadableKey(path: String)
    case unsupportedKey(String)
    case signingFailed(String)
    case malformedMessage

    public var description: String {
        switch self {
        case .unreadableKey(let p): return "the DKIM key \(p) is not a readable PEM private key"
        case .unsupportedKey(let t): return "DKIM keys must be RSA or Ed25519, not \(t)"
        case .signingFailed(let m): return "DKIM signing failed: \(m)"
        case .malformedMessage: return "the message has no header/body separator"
        }
    }
}
