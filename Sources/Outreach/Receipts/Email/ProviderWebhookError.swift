/// Why an email provider's webhook request was refused. Nothing of it was applied.
public enum ProviderWebhookError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No signature or credentials at all (answered 401).
    case unsigned(String)
    /// A signature or credentials that do not check out, a replay, a foreign topic (answered 403).
    case refused(String)
    /// Not the shape the provider documents (answered 400).
    case malformed(String)

    /// The HTTP status the endpoint answers with.
    public var status: Int {
        switch self {
        case .unsigned: return 401
        case .refused: return 403
        case .malformed: return 400
        }
    }

    public var description: String {
        switch self {
        case .unsigned(let s), .refused(let s), .malformed(let s): return s
        }
    }
}
