import Foundation

/// Input that is not an RFC 5322 message at all (a message that is merely not a bounce parses to
/// an empty report instead).
public struct BounceParseError: Error, Equatable, CustomStringConvertible {
    enum Code: Equatable {
        case empty
        case noHeader
    }

    let code: Code

    init(_ code: Code) { self.code = code }

    public var description: String {
        switch code {
        case .empty: return "the message is empty"
        case .noHeader: return "the message does not start with a header field (Name: value), so it is not an email"
        }
    }
}
