/// A mailbox the daemon reads bounces from (`[bounces] mailbox`, IMAP in `Sources/Channels`): what
/// `BounceMailboxPoller` needs of it and nothing more. One thread uses it at a time; `interrupt()`
/// may come from another.
public protocol BounceMailbox: AnyObject, Sendable {
    /// Where it is, for the log: the URL without any password (`imaps://bounces@mail.example.org/INBOX`).
    var name: String { get }
    /// Connects when not connected and lists the messages nobody has read and nothing has marked
    /// deleted, in ascending UID order, with the mailbox's UIDVALIDITY (UIDs mean something only within it).
    func unreadMessages() throws(BounceMailboxError) -> BounceMailboxListing
    /// The message's bytes, leaving it unread (IMAP `BODY.PEEK[]`).
    func fetch(uid: UInt32) throws(BounceMailboxError) -> [UInt8]
    /// Marks the message read and moves it to the processed folder. Deletes nothing but the
    /// original of that one message once it was copied.
    func markProcessed(uid: UInt32) throws(BounceMailboxError)
    /// Closes the connection the poll used; the next poll connects again.
    func endPoll()
    /// Makes a call in progress on another thread fail soon, and every later call at once (drain).
    func interrupt()
}

/// The unread messages of one poll.
public struct BounceMailboxListing: Sendable, Equatable {
    /// The mailbox's UIDVALIDITY: when it changes, every UID remembered before names nothing.
    public var uidValidity: UInt32
    /// Ascending.
    public var uids: [UInt32]

    public init(uidValidity: UInt32, uids: [UInt32]) {
        self.uidValidity = uidValidity
        self.uids = uids
    }
}

/// Why a mailbox call failed; the sentence names no password.
public enum BounceMailboxError: Error, Equatable, CustomStringConvertible {
    /// The mailbox cannot be read now (no connection, TLS, login refused, no such mailbox): the
    /// poll stops and is tried again later.
    case unavailable(String)
    /// This one message could not be fetched or moved; the poll goes on with the others.
    case message(uid: UInt32, String)

    public var description: String {
        switch self {
        case .unavailable(let why): return why
        case .message(let uid, let why): return "IMAP UID \(uid): \(why)"
        }
    }
}
