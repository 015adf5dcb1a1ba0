/// A request from a recipient to stop messages to a number (an SMS "STOP" reply).
public struct SuppressionRequest: Sendable, Equatable {
    /// The sender of the reply, E.164 when it could be normalised.
    public var phone: String
    /// The keyword they sent, e.g. "STOP".
    public var keyword: String

    public init(phone: String, keyword: String) {
        self.phone = phone
        self.keyword = keyword
    }
}
