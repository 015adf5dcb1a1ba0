/// Lists, memberships, consent and suppressions: who agreed to what. The rules are
/// `MembershipDecision`'s; a store applies them, cancels, and logs, in one transaction per change,
/// on disk when it returns. Besides the errors named, any requirement can throw the backend's own
/// (see `Store`).
public protocol ConsentStore: AnyObject, Sendable {
    /// - Parameters:
    ///   - name: the list's unique name.
    ///   - doubleOptIn: whether a public sign-up must confirm by a link before it is subscribed.
    ///   - isPublic: whether anyone on any list may join it from their preferences page; set in the
    ///     same transaction, so a list is never seen half made.
    ///   - details: its title (per language) and the template data of its mail.
    /// - Returns: the new list, with its id.
    /// - Throws: `StoreError.listExists` when the name is taken.
    func createList(name: String, doubleOptIn: Bool, isPublic: Bool, details: ListDetails) throws -> MailingList
    /// Replaces a list's title, translations and data; messages read to be sent from now on use them.
    /// - Returns: the list as stored, with its member counts.
    /// - Throws: `StoreError.unknownList`.
    func updateList(named name: String, details: ListDetails) throws -> MailingList
    /// Makes a list public (anyone may join it from their preferences page) or not.
    /// - Returns: the list as stored, with its member counts.
    /// - Throws: `StoreError.unknownList`.
    @discardableResult
    func setListPublic(named name: String, isPublic: Bool) throws -> MailingList
    /// Sets a contact's language and preferred channel as the person chose them (nil keeps a field)
    /// and logs each change with `consent` and the value it replaced, in one transaction (see
    /// `export`'s `preferences`); a value equal to the stored one is neither written nor logged.
    /// - Returns: the fields changed: `locale`, `preferred_channel`.
    /// - Throws: `StoreError.unknownContact`.
    @discardableResult
    func setContactPreferences(
        contactID: Int64, locale: String?, preferredChannel: ChannelPreference?, consent: Consent
    ) throws -> [String]
    /// - Returns: the list with its member counts by state, or nil when there is no such list.
    func list(named name: String) throws -> MailingList?
    /// - Returns: every list with its member counts, by name.
    func lists() throws -> [MailingList]
    /// Changes memberships as `MembershipDecision` allows for `authority`, in one transaction; an
    /// unsubscribe cancels the contact's pending mail of that list in the same transaction, and a
    /// subscribe queues the list's events still ahead (invitation now, reminders at their instants).
    /// Every change is logged with the state it left.
    /// - Parameters:
    ///   - contactIDs: the contacts to change; each is decided on its own.
    ///   - consent: the source and evidence recorded with each change.
    ///   - authority: who asks, which decides what may change (`ConsentAuthority`).
    /// - Returns: the contacts changed, unchanged and kept unsubscribed, and the deliveries cancelled.
    /// - Throws: `StoreError.unknownList`; `StoreError.resubscribeRefused` (and changes nothing)
    ///   when an officer asks to subscribe someone who unsubscribed.
    @discardableResult
    func setMembership(
        list: String, contactIDs: [Int64], state: MembershipState, consent: Consent,
        by authority: ConsentAuthority
    ) throws -> MembershipChanges
    /// A public sign-up in one transaction: the contact, the membership and the confirmation.
    /// The person is found by the address the confirmation goes to (email, else phone) and never
    /// overwritten; a new contact is created.
    /// - Returns: already subscribed, subscribed now, or pending with the confirmation queued.
    /// - Throws: `StoreError.unknownList`; `StoreError.noConfirmationChannel` when the person must
    ///   confirm and the request carries no confirmation. Nothing is stored when it throws.
    func signUp(_ request: SignUpRequest) throws -> SignUpOutcome
    /// - Returns: the contact's memberships by list name, each with its consent and when it last
    ///   changed (ms); empty for a contact with none or no such contact.
    func memberships(contactID: Int64) throws -> [(list: String, state: MembershipState, consent: Consent, at: Int64)]
    /// Records the suppression and cancels the pending deliveries to the address it stops, in one
    /// transaction. `unsubscribed` stops list mail only; every other reason stops transactional
    /// mail too. A stronger reason replaces `unsubscribed`; no reason ever weakens an entry.
    /// - Parameters:
    ///   - address: an email (matched case-insensitively) or a phone number.
    ///   - detail: why, as shown to officers (a bounce's text); nil for none.
    func suppress(address: String, reason: SuppressionReason, detail: String?) throws
    /// - Returns: why the address is suppressed (an erased person's address included), or nil when it is not.
    func suppression(for address: String) throws -> SuppressionReason?
}

extension ConsentStore {
    /// `createList(name:doubleOptIn:isPublic:details:)` for a list that is not public.
    public func createList(name: String, doubleOptIn: Bool, details: ListDetails) throws -> MailingList {
        try createList(name: name, doubleOptIn: doubleOptIn, isPublic: false, details: details)
    }

    /// `createList(name:doubleOptIn:details:)` with no title (recipients see the name) and no data.
    public func createList(name: String, doubleOptIn: Bool) throws -> MailingList {
        try createList(name: name, doubleOptIn: doubleOptIn, details: ListDetails())
    }
}
