/// What a handler gives back: an answer now, or a promise to answer from another thread.
enum Reply: Sendable {
    case now(HTTPResponse)
    /// The connection is suspended first; `start` then runs and must call `Responder.send` exactly once.
    case later(@Sendable (Responder) -> Void)
}

/// Answers a suspended request from any thread.
struct Responder: Sendable {
    let deliver: @Sendable (HTTPResponse) -> Void
    func send(_ response: HTTPResponse) { deliver(response) }
}
