/// A problem in the configuration, naming the file, line and key the user must fix.
public enum ConfigError: Error, Equatable, CustomStringConvertible {
    case syntax(file: String, line: Int, message: String)
    case wrongType(file: String, line: Int, key: String, expected: String)
    case missing(file: String, section: String, key: String)
    case invalid(file: String, line: Int, key: String, message: String)
    case unreadableSecret(file: String, line: Int, key: String, path: String)
    case unreadableFile(path: String, reason: String)

    public var description: String {
        switch self {
        case .syntax(let f, let l, let m): return "\(f):\(l): \(m)."
        case .wrongType(let f, let l, let k, let e): return "\(f):\(l): '\(k)' must be \(e)."
        case .missing(let f, let s, let k): return "\(f): [\(s)] needs a value for '\(k)'."
        case .invalid(let f, let l, let k, let m): return "\(f):\(l): '\(k)' \(m)."
        case .unreadableSecret(let f, let l, let k, let p): return "\(f):\(l): '\(k)' names \(p), which cannot be read."
        case .unreadableFile(let p, let r): return "Cannot read the configuration file \(p): \(r)."
        }
    }
}
