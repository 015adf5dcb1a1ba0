/// Contacts: who can be reached, and everything held about them. Every method is one
/// transaction: what it writes is on disk when it returns.
public protocol ContactStore: AnyObject, Sendable {
    /// Inserts or updates contacts matched by email, then phone; all or nothing.
    func upsertContacts(_ contacts: [Contact]) throws -> ImportCounts
    /// Upserts the chunks `next` hands over and subscribes them to `list` (keeping unsubscribes),
    /// in one transaction that commits only if `shouldCommit` says so at the end.
    /// - Returns: the counts, or nil when the import was rolled back.
    func importContacts(
        list: String?, source: String, next: () throws -> [ContactRow]?, shouldCommit: () -> Bool,
        progress: (Int) -> Void
    ) throws -> ImportCounts?
    /// By id, email (case-insensitive) or phone.
    func contact(matching key: String) throws -> Contact?
    func contacts(inList list: String?, limit: Int?) throws -> [Contact]
    /// Removes personal data; keeps hashed suppression entries so the person is never mailed again.
    /// Cancels every pending delivery to the person and overwrites what it deletes.
    /// - Returns: the person's deliveries (id and channel), so channels that keep copies (the
    ///   outbox) can remove them.
    @discardableResult
    func eraseContact(id: Int64) throws -> [(id: Int64, channel: String)]
    /// Everything held about one contact, for `contacts export`.
    func export(contactID: Int64) throws -> JSON
}
