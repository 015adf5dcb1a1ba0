/// Lists, memberships, consent and suppressions: who agreed to what. The rules are
/// `MembershipDecision`'s; a store applies them, cancels, and logs, in one transaction per change.
public protocol ConsentStore: AnyObject, Sendable {
    func createList(name: String, doubleOptIn: Bool) throws -> MailingList
    func list(named name: String) throws -> MailingList?
    func lists() throws -> [MailingList]
    /// Changes memberships as `MembershipDecision` allows for `authority`, in one transaction; an
    /// unsubscribe cancels the contact's pending mail of that list in the same transaction.
    /// - Throws: `StoreError.resubscribeRefused` (and changes nothing) when an officer asks to
    ///   subscribe someone who unsubscribed.
    @discardableResult
    func setMembership(
        list: String, contactIDs: [Int64], state: MembershipState, consent: Consent,
        by authority: ConsentAuthority
    ) throws -> MembershipChanges
    /// A public sign-up in one transaction: the contact, the membership and the confirmation.
    /// - Throws: `StoreError.unknownList`; `StoreError.noConfirmationChannel` when the person must
    ///   confirm and the request carries no confirmation.
    func signUp(_ request: SignUpRequest) throws -> SignUpOutcome
    func memberships(contactID: Int64) throws -> [(list: String, state: MembershipState, consent: Consent, at: Int64)]
    /// Records the suppression and cancels the pending deliveries to the address it stops.
    func suppress(address: String, reason: SuppressionReason, detail: String?) throws
    func suppression(for address: String) throws -> SuppressionReason?
}
