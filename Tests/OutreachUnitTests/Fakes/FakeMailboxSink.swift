import Outreach
import Synchronization

/// A `BounceSink` that decides by the message's first line: `DSN` is a hard bounce of
/// `bad@example.org`, `ARF` a complaint, `GARBLED` unparseable, anything else not a bounce.
/// While `failing` is set it throws as a store that is down would, applying nothing.
final class FakeMailboxSink: BounceSink {
    struct StoreDown: Error, CustomStringConvertible {
        var description: String { "the database is locked" }
    }

    struct State {
        var failing = false
        /// Sources whose results were applied, in order.
        var applied: [String] = []
        var ingested: [String] = []
    }

    let state = Mutex(State())

    func ingest(message: [UInt8], source: String) throws -> BounceIngestOutcome {
        try state.withLock { s in
            s.ingested.append(source)
            if s.failing { throw StoreDown() }
            let first = String(decoding: message.prefix { $0 != 0x0A }, as: UTF8.self)
            switch first {
            case "DSN":
                s.applied.append(source)
                return .applied(BounceReport(results: [BounceResult(recipient: "bad@example.org", kind: .hard)]))
            case "ARF":
                s.applied.append(source)
                return .applied(BounceReport(results: [BounceResult(recipient: "c@example.org", kind: .complaint)]))
            case "GARBLED": return .unparseable("no header ends before the end of the message")
            default: return .notABounce
            }
        }
    }

    func apply(_ report: BounceReport, source: String) throws {
        try state.withLock { s in
            if s.failing { throw StoreDown() }
            s.applied.append(source)
        }
    }
}
