/// A contact field that cannot be stored, and why.
public enum ContactError: Error, Equatable, CustomStringConvertible {
    case badEmail(String, reason: String)
    case badPhone(String, reason: String)
    case badLocale(String)
    case badTimeZone(String)
    case noAddress
    case duplicate(String, firstLine: Int)
    case missingHeader
    case badAttribute(String)
    case fieldCount(found: Int, expected: Int)
    case badPreferredChannel(String)

    public var description: String {
        switch self {
        case .badEmail(let e, let r): return "the email address '\(e)' is not valid: \(r)"
        case .badPhone(_, let r): return r
        case .badLocale(let l): return "'\(l)' is not a language tag like da, en or pt-BR"
        case .badTimeZone(let z): return "'\(z)' is not an IANA time zone like Europe/Copenhagen"
        case .noAddress: return "the row has neither an email nor a phone number"
        case .duplicate(let a, let l): return "'\(a)' already appears on line \(l)"
        case .missingHeader: return "the file needs a header row with an email or phone column"
        case .badAttribute(let a): return "'\(a)' is not k=v"
        case .fieldCount(let f, let e): return "the row has \(f) fields but the header has \(e)"
        case .badPreferredChannel(let v): return "the preferred channel '\(v)' is not email or sms"
        }
    }
}
