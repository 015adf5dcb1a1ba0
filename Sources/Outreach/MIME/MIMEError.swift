/// A message that cannot be built safely.
public enum MIMEError: Error, Equatable, CustomStringConvertible {
    /// A CR or LF in data bound for a header: refused, never passed through (header injection).
    case lineBreakInHeader(field: String)
    case badAddress(String)
    /// A header line over RFC 5322's 998 bytes that cannot be folded; relays answer 500.
    case headerTooLong(field: String)
    case unreadableAttachment(path: String)

    public var description: String {
        switch self {
        case .lineBreakInHeader(let f):
            return "the \(f) contains a line break, which could inject mail headers; it was refused"
        case .headerTooLong(let f): return "the \(f) header has a line over 998 bytes that cannot be folded"
        case .badAddress(let a): return "'\(a)' is not an address like Name <name@example.org>"
        case .unreadableAttachment(let p): return "the attachment \(p) cannot be read"
        }
    }
}
