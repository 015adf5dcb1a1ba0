/// A named audience (`lists create`). Called List in the product; `MailingList` in code so it does
/// not shadow other meanings of "list".
public struct MailingList: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var doubleOptIn: Bool
    public var counts: [MembershipState: Int] = [:]

    public init(id: Int64, name: String, doubleOptIn: Bool) {
        self.id = id
        self.name = name
        self.doubleOptIn = doubleOptIn
    }
}

/// Where a contact stands with a list.
public enum MembershipState: String, Sendable, CaseIterable {
    case pending, subscribed, unsubscribed
}

/// Who consented, when, how: kept with every membership change.
public struct Consent: Sendable, Equatable {
    public var source: String
    public var evidence: String?
    public init(source: String, evidence: String? = nil) {
        self.source = source
        self.evidence = evidence
    }
}

/// Why an address must not get marketing mail.
public enum SuppressionReason: String, Sendable, CaseIterable {
    case unsubscribed, bounce, complaint, erased, manual
    /// An SMS reply STOP: the person wants no messages at all on that number, transactional included.
    case stop
}
