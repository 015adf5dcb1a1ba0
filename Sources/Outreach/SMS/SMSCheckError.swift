/// Why a text cannot go out on an SMS channel: the channel's limit is misconfigured, or the text exceeds it.
public enum SMSCheckError: Error, Equatable, Sendable, CustomStringConvertible {
    case config(ConfigError)
    case text(SMSTextError)

    public var description: String {
        switch self {
        case .config(let e): return e.description
        case .text(let e): return e.description
        }
    }
}
