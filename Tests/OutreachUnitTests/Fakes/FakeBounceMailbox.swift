import Outreach
import Synchronization

/// A `BounceMailbox` in memory: messages by UID with their read flag, a processed folder, and
/// scripted failures. Records what the poller asked of it.
final class FakeBounceMailbox: BounceMailbox {
    struct Message {
        var bytes: [UInt8]
        var seen = false
    }

    struct State {
        var uidValidity: UInt32 = 7
        var inbox: [UInt32: Message] = [:]
        var processed: [Message] = []
        /// While set, every call fails with it (the server is down).
        var down: BounceMailboxError?
        /// Failures of one message's fetch or move, consumed one per call.
        var fetchFailures: [UInt32: [BounceMailboxError]] = [:]
        var moveFailures: [UInt32: [BounceMailboxError]] = [:]
        var fetched: [UInt32] = []
        var polls = 0
        var endedPolls = 0
        var interrupted = false
    }

    let state = Mutex(State())
    /// Signalled at the start of every listing (a poll began).
    let listed = ThreadSignal()

    var name: String { "imap://bounces@fake/INBOX" }

    /// Adds unread messages; returns their UIDs.
    @discardableResult
    func deliver(_ messages: [String]) -> [UInt32] {
        state.withLock { s in
            messages.map { m in
                let uid = (s.inbox.keys.max() ?? 0) + 1
                s.inbox[uid] = Message(bytes: Array(m.utf8))
                return uid
            }
        }
    }

    func unreadMessages() throws(BounceMailboxError) -> BounceMailboxListing {
        defer { listed.signal() }
        return try state.withLock { s throws(BounceMailboxError) -> BounceMailboxListing in
            s.polls += 1
            if let down = s.down { throw down }
            return BounceMailboxListing(
                uidValidity: s.uidValidity, uids: s.inbox.filter { !$0.value.seen }.keys.sorted())
        }
    }

    func fetch(uid: UInt32) throws(BounceMailboxError) -> [UInt8] {
        try state.withLock { s throws(BounceMailboxError) -> [UInt8] in
            if let down = s.down { throw down }
            if var failures = s.fetchFailures[uid], !failures.isEmpty {
                let f = failures.removeFirst()
                s.fetchFailures[uid] = failures
                throw f
            }
            guard let m = s.inbox[uid] else { throw .message(uid: uid, "no such message") }
            s.fetched.append(uid)
            return m.bytes
        }
    }

    func markProcessed(uid: UInt32) throws(BounceMailboxError) {
        try state.withLock { s throws(BounceMailboxError) in
            if let down = s.down { throw down }
            if var failures = s.moveFailures[uid], !failures.isEmpty {
                let f = failures.removeFirst()
                s.moveFailures[uid] = failures
                throw f
            }
            guard var m = s.inbox.removeValue(forKey: uid) else { throw .message(uid: uid, "no such message") }
            m.seen = true
            s.processed.append(m)
        }
    }

    func endPoll() { state.withLock { $0.endedPolls += 1 } }
    func interrupt() { state.withLock { $0.interrupted = true } }
}
