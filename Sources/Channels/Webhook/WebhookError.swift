/// Why a message cannot become a webhook request (never worth retrying).
public enum WebhookError: Error, Equatable, Sendable, CustomStringConvertible {
    case noAddress(attribute: String)
    case tooLong(service: String, length: Int, maximum: Int)
    case invalidBody(String)

    public var description: String {
        switch self {
        case .noAddress(let a): return "The contact has no '\(a)' attribute to post to."
        case .tooLong(let s, let l, let m): return "The message is \(l) characters long; \(s) takes at most \(m)."
        case .invalidBody(let why): return "The rendered chat template is not a usable body: \(why)."
        }
    }
}
