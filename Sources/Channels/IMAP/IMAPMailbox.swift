import CCurl
import Outreach
import Synchronization

/// `[bounces] mailbox`: the bounce mailbox read over IMAP with libcurl's custom requests on one
/// connection per poll. Every command names the message by UID; nothing it sends can delete
/// another message (no bare EXPUNGE, ever).
public final class IMAPMailbox: BounceMailbox {
    public let settings: BounceMailboxSettings
    private let connection: Mutex<IMAPConnection>
    private let interruption = IMAPInterrupt()
    /// libcurl and the server never echo the password, but every sentence goes through this anyway.
    private let redactor: SecretRedactor

    public init(settings: BounceMailboxSettings) {
        self.settings = settings
        connection = Mutex(IMAPConnection(settings: settings))
        redactor = SecretRedactor(secrets: [settings.password])
    }

    public var name: String { settings.displayName }

    public func unreadMessages() throws(BounceMailboxError) -> BounceMailboxListing {
        try connection.withLock { c throws(BounceMailboxError) -> BounceMailboxListing in
            let r = c.run("UID SEARCH UNSEEN UNDELETED", interrupt: interruption)
            guard r.ok else {
                c.close()
                throw .unavailable(why(r))
            }
            return BounceMailboxListing(uidValidity: c.uidValidity ?? 0, uids: IMAPResponse.searchUIDs(r.body))
        }
    }

    public func fetch(uid: UInt32) throws(BounceMailboxError) -> [UInt8] {
        try connection.withLock { c throws(BounceMailboxError) -> [UInt8] in
            let r = c.run("UID FETCH \(uid) BODY.PEEK[]", interrupt: interruption)
            if r.tooLarge { throw .message(uid: uid, "it is larger than \(IMAPExchange.maxBytes >> 20) MiB") }
            if r.refused { throw .message(uid: uid, why(r)) }
            guard r.ok else { throw .unavailable(why(r)) }
            guard let message = IMAPResponse.fetchedMessage(lines: r.lines, body: r.body) else {
                // Gone since the search, or cut short (a line longer than libcurl reads): what is
                // left of it may still be on the way, so the connection is not used again.
                c.close()
                throw .message(
                    uid: uid, "the server did not send it whole (deleted since, or a line longer than 256 KiB)")
            }
            return message
        }
    }

    public func markProcessed(uid: UInt32) throws(BounceMailboxError) {
        try connection.withLock { c throws(BounceMailboxError) in
            let folder = IMAPResponse.quoted(settings.processedFolder)
            try command(&c, "UID STORE \(uid) +FLAGS.SILENT (\\Seen)", uid: uid)
            do throws(BounceMailboxError) {
                if try capabilities(&c).contains("MOVE") {
                    try transfer(&c, "UID MOVE \(uid) \(folder)", uid: uid)
                } else {
                    try moveByCopy(&c, uid: uid, folder: folder)
                }
            } catch {
                // Unread again, so the next poll's search finds it and tries the move again.
                if case .message = error {
                    _ = c.run("UID STORE \(uid) -FLAGS.SILENT (\\Seen)", interrupt: interruption)
                }
                throw error
            }
        }
    }

    /// Without MOVE (RFC 6851): COPY, flag the original deleted, and with UIDPLUS (RFC 4315) expunge
    /// only that UID. Without UIDPLUS the original stays, read and flagged deleted: a bare EXPUNGE
    /// would also remove what others flagged.
    private func moveByCopy(_ c: inout IMAPConnection, uid: UInt32, folder: String) throws(BounceMailboxError) {
        try transfer(&c, "UID COPY \(uid) \(folder)", uid: uid)
        try command(&c, "UID STORE \(uid) +FLAGS.SILENT (\\Deleted)", uid: uid)
        if try capabilities(&c).contains("UIDPLUS") { try command(&c, "UID EXPUNGE \(uid)", uid: uid) }
    }

    /// MOVE or COPY into the processed folder, creating it when the server says it does not exist.
    private func transfer(_ c: inout IMAPConnection, _ text: String, uid: UInt32) throws(BounceMailboxError) {
        let r = c.run(text, interrupt: interruption)
        if r.refused, r.completion?.uppercased().contains("[TRYCREATE]") == true {
            let created = c.run("CREATE \(IMAPResponse.quoted(settings.processedFolder))", interrupt: interruption)
            guard created.ok || created.refused else { throw .unavailable(why(created)) }
            try command(&c, text, uid: uid)
            return
        }
        try check(r, uid: uid)
    }

    private func command(_ c: inout IMAPConnection, _ text: String, uid: UInt32) throws(BounceMailboxError) {
        try check(c.run(text, interrupt: interruption), uid: uid)
    }

    private func check(_ r: IMAPReply, uid: UInt32) throws(BounceMailboxError) {
        if r.refused { throw .message(uid: uid, why(r)) }
        guard r.ok else { throw .unavailable(why(r)) }
    }

    private func capabilities(_ c: inout IMAPConnection) throws(BounceMailboxError) -> Set<String> {
        if let known = c.capabilities { return known }
        let r = c.run("CAPABILITY", interrupt: interruption)
        guard r.ok else { throw .unavailable(why(r)) }
        let caps = IMAPResponse.capabilities(r.body) ?? []
        c.capabilities = caps
        return caps
    }

    public func endPoll() {
        connection.withLock { $0.close() }
    }

    public func interrupt() {
        interruption.flag.store(true, ordering: .relaxed)
    }

    /// One sentence on a failed command: the server's own answer when it gave one, else libcurl's.
    private func why(_ r: IMAPReply) -> String {
        let text: String
        switch r.code {
        case CURLE_QUOTE_ERROR, CURLE_LOGIN_DENIED, CURLE_REMOTE_FILE_NOT_FOUND:
            text = "the server answered \(r.completion.map { "'\($0)'" } ?? r.detail)"
        case CURLE_USE_SSL_FAILED:
            text = "the server does not offer STARTTLS, and tls = \"starttls\" forbids reading it in plain text"
        case CURLE_ABORTED_BY_CALLBACK:
            text = "stopped by a drain"
        default:
            text = "cannot reach \(settings.host): \(r.detail)"
        }
        return redactor.redact(text)
    }

    /// Logs in and selects the mailbox once, reading nothing (`check --probe`); nil when it worked.
    public func probe() -> String? {
        defer { endPoll() }
        do {
            _ = try unreadMessages()
            return nil
        } catch {
            return error.description
        }
    }
}
