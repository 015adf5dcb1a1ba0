/// What bounces and suppressions did to a list's audience, for `lists show`.
public struct ListDeliverability: Sendable, Equatable {
    /// Subscribed members whose email or phone is suppressed, by the suppression's reason (a member
    /// with both addresses suppressed for different reasons counts under each).
    public var suppressed: [SuppressionReason: Int]
    /// Subscribed members with a hard or soft bounce or a complaint recorded since the instant asked.
    public var bounced: Int

    public init(suppressed: [SuppressionReason: Int] = [:], bounced: Int = 0) {
        self.suppressed = suppressed
        self.bounced = bounced
    }

    /// Members suppressed, whatever the reason.
    public var suppressedTotal: Int { suppressed.values.reduce(0, +) }

    public var json: JSON {
        [
            "suppressed": .object(
                Dictionary(uniqueKeysWithValues: suppressed.map { ($0.key.rawValue, JSON($0.value)) })),
            "bounced_recently": JSON(bounced),
        ]
    }
}
