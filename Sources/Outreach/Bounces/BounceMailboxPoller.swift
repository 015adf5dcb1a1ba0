import Synchronization

/// One look at the bounce mailbox: every unread message is fetched (left unread), handed to the
/// bounce pipeline, and acted on by its outcome. What a poll decides:
///
/// - `applied`: flagged read and moved to the processed folder, only after `ingest` returned (the
///   pipeline stored what it says), so a crash never loses a bounce; a crash between the two
///   applies it again at the next start (the pipeline counts an address at most once a day).
/// - `notABounce`: left where it is, unread, for a human.
/// - `unparseable`: left where it is, logged once with its IMAP UID.
/// - `ingest` throws (the store is unavailable): nothing moves; the poll stops and the message is
///   tried again at the next one.
///
/// The UIDs already decided are remembered in memory for the mailbox's UIDVALIDITY, so an unread
/// human mail or an unparseable message is fetched once per process, not at every poll; what is
/// remembered is dropped once it is no longer unread. After a restart each is looked at once more
/// (an unparseable one is logged again, once).
public final class BounceMailboxPoller: Sendable {
    public let mailbox: any BounceMailbox
    private let sink: any BounceSink
    private let log: LogSink
    private let state = Mutex(State())
    private let stopping = Atomic<Bool>(false)

    /// What happened to one message of a poll.
    public enum Decision: Sendable, Equatable {
        case moved
        case leftUnread
        case unparseable
        /// Applied, but not moved yet (the move failed): tried again at the next poll, without applying it again.
        case moveFailed
        case fetchFailed
        /// The pipeline could not store it; nothing was moved.
        case notStored
    }

    /// What one poll did.
    public struct Summary: Sendable, Equatable {
        /// False when the mailbox could not be read: the service waits longer before the next poll.
        public var reachable = true
        /// Per UID, for the messages looked at in this poll (remembered ones are not).
        public var decisions: [UInt32: Decision] = [:]
    }

    private struct State {
        var uidValidity: UInt32?
        var remembered: [UInt32: Remembered] = [:]
        /// Fetches and moves whose failure was logged: said once per UID, not at every poll.
        var mailboxDown = false
        var storeDown = false
        var loggedFailures: Set<UInt32> = []
    }

    private enum Remembered {
        case leftUnread
        case unparseable
        /// Applied by the pipeline; only the move is left to do.
        case applied
    }

    public init(mailbox: any BounceMailbox, sink: any BounceSink, log: @escaping LogSink) {
        self.mailbox = mailbox
        self.sink = sink
        self.log = log
    }

    /// Stops a poll in progress after the message it is on; every later poll does nothing.
    public func stop() {
        stopping.store(true, ordering: .relaxed)
        mailbox.interrupt()
    }

    private var stopped: Bool { stopping.load(ordering: .relaxed) }

    /// Lists the unread messages and decides each one; closes the connection at the end.
    @discardableResult
    public func poll() -> Summary {
        var summary = Summary()
        guard !stopped else { return summary }
        defer { mailbox.endPoll() }
        let listing: BounceMailboxListing
        do {
            listing = try mailbox.unreadMessages()
        } catch {
            summary.reachable = false
            mailboxFailed(error)
            return summary
        }
        mailboxAnswered()
        let todo = state.withLock { s -> [(UInt32, Remembered?)] in
            if s.uidValidity != listing.uidValidity {
                // Another UIDVALIDITY: the mailbox was recreated, and every UID remembered names nothing.
                s.uidValidity = listing.uidValidity
                s.remembered.removeAll()
                s.loggedFailures.removeAll()
            }
            let unread = Set(listing.uids)
            s.remembered = s.remembered.filter { unread.contains($0.key) }
            s.loggedFailures.formIntersection(unread)
            return listing.uids.map { ($0, s.remembered[$0]) }
        }
        for (uid, remembered) in todo {
            guard !stopped else { break }
            switch remembered {
            case .leftUnread, .unparseable: continue
            case .applied:
                summary.decisions[uid] = move(uid)
            case nil:
                summary.decisions[uid] = look(at: uid)
            }
            if summary.decisions[uid] == .notStored { break }
            // A fetch or move that found the mailbox gone ends the poll; the service waits longer.
            if state.withLock({ $0.mailboxDown }) {
                summary.reachable = false
                break
            }
        }
        return summary
    }

    private func look(at uid: UInt32) -> Decision {
        let bytes: [UInt8]
        do {
            bytes = try mailbox.fetch(uid: uid)
        } catch {
            return failed(
                uid, error, "could not be fetched", then: "it is tried again at the next poll", as: .fetchFailed)
        }
        let outcome: BounceIngestOutcome
        do {
            outcome = try sink.ingest(message: bytes, source: "IMAP UID \(uid)")
            storeAnswered()
        } catch {
            storeFailed(uid, error)
            return .notStored
        }
        switch outcome {
        case .applied(let report):
            state.withLock { $0.remembered[uid] = .applied }
            log(.info, "\(mailbox.name): IMAP UID \(uid) applied (\(Self.describe(report)))")
            return move(uid)
        case .notABounce:
            state.withLock { $0.remembered[uid] = .leftUnread }
            log(.info, "\(mailbox.name): IMAP UID \(uid) is not a bounce; left unread for a human")
            return .leftUnread
        case .unparseable(let why):
            state.withLock { $0.remembered[uid] = .unparseable }
            log(.warning, "\(mailbox.name): IMAP UID \(uid) cannot be parsed (\(why)); left in the mailbox")
            return .unparseable
        }
    }

    private func move(_ uid: UInt32) -> Decision {
        do {
            try mailbox.markProcessed(uid: uid)
        } catch {
            return failed(
                uid, error, "was applied but could not be moved", then: "the move is tried again at the next poll",
                as: .moveFailed)
        }
        state.withLock {
            $0.remembered[uid] = nil
            $0.loggedFailures.remove(uid)
        }
        return .moved
    }

    /// A failed fetch or move: an unavailable mailbox stops the poll; a failure of the one message
    /// is logged once per UID.
    private func failed(
        _ uid: UInt32, _ error: BounceMailboxError, _ what: String, then next: String, as d: Decision
    ) -> Decision {
        if case .unavailable = error {
            mailboxFailed(error)
            return d
        }
        guard case .message(_, let why) = error else { return d }
        let first = state.withLock { $0.loggedFailures.insert(uid).inserted }
        if first { log(.warning, "\(mailbox.name): IMAP UID \(uid) \(what) (\(why)); \(next)") }
        return d
    }

    private func mailboxFailed(_ error: BounceMailboxError) {
        let first = state.withLock { s in
            defer { s.mailboxDown = true }
            return !s.mailboxDown
        }
        if first { log(.warning, "the bounce mailbox \(mailbox.name) cannot be read: \(error); trying again later") }
    }

    private func mailboxAnswered() {
        let wasDown = state.withLock { s in
            defer { s.mailboxDown = false }
            return s.mailboxDown
        }
        if wasDown { log(.notice, "the bounce mailbox \(mailbox.name) can be read again") }
    }

    private func storeFailed(_ uid: UInt32, _ error: any Error) {
        let first = state.withLock { s in
            defer { s.storeDown = true }
            return !s.storeDown
        }
        if first {
            log(
                .error,
                "\(mailbox.name): IMAP UID \(uid) could not be applied, the store failed: \(error); "
                    + "nothing was moved, and it is tried again at the next poll")
        }
    }

    private func storeAnswered() {
        let wasDown = state.withLock { s in
            defer { s.storeDown = false }
            return s.storeDown
        }
        if wasDown { log(.notice, "\(mailbox.name): the bounce pipeline stores again") }
    }

    /// `2 results: hard, complaint`, for the log line: kinds, not addresses (a log outlives an erase).
    static func describe(_ report: BounceReport) -> String {
        let n = report.results.count
        let kinds = report.results.prefix(5).map(\.kind.rawValue) + (n > 5 ? ["…"] : [])
        return "\(n) result\(n == 1 ? "" : "s")" + (kinds.isEmpty ? "" : ": " + kinds.joined(separator: ", "))
    }
}
