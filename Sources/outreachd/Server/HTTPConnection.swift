import Synchronization

/// What libmicrohttpd keeps for one request between calls of the access handler (its `con_cls`):
/// the body so far, and the answer a suspended request is waiting for.
final class HTTPConnection: Sendable {
    struct State {
        var body: [UInt8] = []
        var tooLarge = false
        var dispatched = false
        /// Set when a suspended request's answer is ready; run on the resumed pool thread.
        var response: (@Sendable () -> HTTPResponse)?
        /// Handed on to be answered later: counted in `HTTPServer.suspended` until it completes.
        var handedOn = false
    }

    let state = Mutex(State())

    /// Appends a chunk of the body; past `limit` the rest is dropped and the request answered 413.
    func append(_ chunk: UnsafeRawBufferPointer, limit: Int) {
        state.withLock { s in
            guard !s.tooLarge else { return }
            if s.body.count + chunk.count > limit {
                s.tooLarge = true
                s.body = []
            } else {
                s.body.append(contentsOf: chunk)
            }
        }
    }
}

/// A libmicrohttpd connection pointer that may cross threads: `MHD_resume_connection` is
/// documented as callable from any thread once the connection was suspended.
struct SuspendedConnection: @unchecked Sendable {
    let pointer: OpaquePointer
}
