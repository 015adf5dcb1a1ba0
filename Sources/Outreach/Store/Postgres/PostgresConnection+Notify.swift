import CPostgres
import Foundation

/// LISTEN/NOTIFY on a connection kept for it (libpq's asynchronous notification calls).
extension PostgresConnection {
    /// Waits at most `timeoutMillis` for the server to send something (poll(2) on the socket), reads
    /// it, and returns the payloads of the notifications received, in order, duplicates kept.
    /// - Throws: `PostgresError` (class 08) when the connection is lost: the server closed it or
    ///   the socket failed.
    public func notifications(timeoutMillis: Int) throws(PostgresError) -> [String] {
        var payloads = pending()
        guard payloads.isEmpty else { return payloads }
        let fd = PQsocket(handle)
        guard fd >= 0, isConnected else { throw connectionError("LISTEN") }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let r = poll(&p, 1, Int32(clamping: timeoutMillis))
        if r < 0 {
            guard errno == EINTR else { throw connectionError("LISTEN") }
            return []
        }
        if r > 0 {
            // 0: the socket failed or the server closed it (a shutdown also sends an error first).
            guard PQconsumeInput(handle) == 1, isConnected else { throw connectionError("LISTEN") }
        }
        payloads = pending()
        return payloads
    }

    /// The notifications libpq has read already.
    private func pending() -> [String] {
        var payloads: [String] = []
        while let n = PQnotifies(handle) {
            payloads.append(String(cString: n.pointee.extra))
            PQfreemem(n)
        }
        return payloads
    }
}
