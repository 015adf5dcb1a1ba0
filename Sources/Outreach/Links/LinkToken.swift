/// What a signed link lets its holder do.
public struct LinkToken: Sendable, Equatable {
    public enum Action: String, Sendable {
        case unsubscribe = "u"
        case confirm = "c"
        /// The preferences page: made for a contact, not a list (its list is empty).
        case preferences = "p"
    }

    public var action: Action
    public var list: String
    public var address: String
    /// Seconds since 1970 after which the link no longer works.
    public var expires: Int64
    /// The contact the link was made for: it still finds them after their address changed.
    public var contactID: Int64?
    /// When the link was made (ms; links made for a contact carry it): a confirmation counts only
    /// if it was issued after the person's last unsubscribe.
    public var issuedAt: Int64?

    public init(
        action: Action, list: String, address: String, expires: Int64, contactID: Int64? = nil, issuedAt: Int64? = nil
    ) {
        self.issuedAt = issuedAt
        self.action = action
        self.list = list
        self.address = address
        self.expires = expires
        self.contactID = contactID
    }
}

/// Why a link was refused.
public enum LinkTokenError: Error, Equatable, CustomStringConvertible {
    case malformed
    case badSignature
    case expired

    public var description: String {
        switch self {
        case .malformed: return "the link is incomplete or damaged"
        case .badSignature: return "the link was not issued by this server"
        case .expired: return "the link has expired"
        }
    }
}
