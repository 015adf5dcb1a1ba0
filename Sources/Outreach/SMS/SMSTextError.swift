/// Why an SMS text was refused before sending.
public enum SMSTextError: Error, Equatable, Sendable, CustomStringConvertible {
    case tooManySegments(segments: Int, maximum: Int, encoding: SMSEncoding, units: Int, nonGSM: [Character])

    public var description: String {
        switch self {
        case .tooManySegments(let s, let m, let e, let u, let nonGSM):
            var why = ""
            if e == .ucs2, !nonGSM.isEmpty {
                why = " because of " + nonGSM.prefix(5).map { "\"\($0)\"" }.joined(separator: ", ")
            }
            return "The SMS text needs \(s) segments (\(u) \(e.rawValue) units\(why)), more than max_segments = \(m)."
        }
    }
}
