/// A campaign operation refused, and why.
public enum CampaignError: Error, Equatable, CustomStringConvertible {
    case exists(String)
    case unknown(String)
    case cancelled(String)
    case invalid(String)

    public var description: String {
        switch self {
        case .exists(let n): return "A campaign named '\(n)' already exists."
        case .unknown(let n): return "There is no campaign named '\(n)'."
        case .cancelled(let n): return "The campaign '\(n)' was cancelled and cannot be started."
        case .invalid(let m): return m
        }
    }
}
