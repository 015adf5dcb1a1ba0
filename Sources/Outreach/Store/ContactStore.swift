/// Contacts: who can be reached, and everything held about them. Every write is one
/// transaction: what it writes is on disk when it returns, and nothing of it when it throws.
/// Besides the errors named, any requirement can throw the backend's own (see `Store`).
public protocol ContactStore: AnyObject, Sendable {
    /// Inserts or updates contacts matched by email, then phone; all or nothing. An update only
    /// fills in what is given (a nil field keeps the stored value; attributes are merged).
    /// Someone erased and added again gets a plain suppression entry, so stays unreachable.
    /// - Parameter contacts: the contacts to store; their `id` is ignored.
    /// - Returns: what was inserted, updated or unchanged, and every contact's id in input order.
    func upsertContacts(_ contacts: [Contact]) throws -> ImportCounts
    /// Upserts the chunks `next` hands over and subscribes them to `list` (keeping unsubscribes),
    /// in one transaction that commits only if `shouldCommit` says so at the end.
    /// - Parameters:
    ///   - list: the list every contact joins as subscribed (an unsubscribed member stays so);
    ///     nil to join none.
    ///   - source: recorded as the consent source of each membership change (`import:contacts.csv`).
    ///   - next: the next chunk of rows, or nil at the end; what it throws rolls everything back.
    ///   - shouldCommit: asked once after the last chunk; false rolls everything back.
    ///   - progress: rows written so far, called after each chunk on the calling thread.
    /// - Returns: the counts, or nil when the import was rolled back.
    /// - Throws: `StoreError.unknownList` when `list` names no list (nothing stored).
    func importContacts(
        list: String?, source: String, next: () throws -> [ContactRow]?, shouldCommit: () -> Bool,
        progress: (Int) -> Void
    ) throws -> ImportCounts?
    /// By id, email (case-insensitive) or phone.
    /// - Parameter key: digits not starting with `+` are tried as an id first; a key with `@` is an email.
    /// - Returns: the contact, or nil when none matches.
    func contact(matching key: String) throws -> Contact?
    /// - Parameters:
    ///   - list: only the list's subscribed members; nil for every contact.
    ///   - limit: at most this many; nil for all.
    /// - Returns: contacts in id order.
    /// - Throws: `StoreError.unknownList` when `list` names no list.
    func contacts(inList list: String?, limit: Int?) throws -> [Contact]
    /// - Returns: every attribute name some contact has, sorted (for checking `--where` keys).
    func attributeKeys() throws -> [String]
    /// Removes personal data; keeps hashed suppression entries so the person is never mailed again.
    /// Cancels every pending delivery to the person and overwrites what it deletes, in one transaction;
    /// past deliveries stay for statistics without saying whom they were for.
    /// - Parameter id: the contact's id.
    /// - Returns: the person's deliveries (id and channel), so channels that keep copies (the
    ///   outbox) can remove them (`Channel.forget`).
    /// - Throws: `StoreError.unknownContact` when no contact has this id (nothing changed).
    @discardableResult
    func eraseContact(id: Int64) throws -> [(id: Int64, channel: String)]
    /// Everything held about one contact, for `contacts export`: the contact, memberships, consent
    /// log, suppressions of their addresses and deliveries.
    /// - Throws: `StoreError.unknownContact` when no contact has this id.
    func export(contactID: Int64) throws -> JSON
}
