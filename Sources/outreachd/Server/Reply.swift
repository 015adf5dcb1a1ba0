/// What a handler gives back: an answer now, or a promise to answer from another thread.
enum Reply: Sendable {
    case now(HTTPResponse)
    /// The connection is suspended first; `start` then runs and must call `Responder.send` exactly once.
    case later(@Sendable (Responder) -> Void)
}

/// Answers a suspended request from any thread.
///
/// The answer is given as a closure that the connection's own pool thread runs when it resumes,
/// so building the body (JSON) costs the thread that calls `send` nothing: that thread is the
/// group committer, whose time every waiting request shares.
struct Responder: Sendable {
    let deliver: @Sendable (@escaping @Sendable () -> HTTPResponse) -> Void
    func send(_ make: @escaping @Sendable () -> HTTPResponse) { deliver(make) }
    func send(_ response: HTTPResponse) { deliver { response } }
}
