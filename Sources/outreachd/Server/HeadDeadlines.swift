import CMicroHTTPD
import Foundation
import Synchronization

/// One connection's deadline for its next request head, on the monotonic clock in milliseconds;
/// 0 while a request is being answered. Lives in libmicrohttpd's socket context.
final class ConnectionClock: Sendable {
    let fd: Int32
    let deadline: Atomic<Int64>

    init(fd: Int32, deadline: Int64) {
        self.fd = fd
        self.deadline = Atomic(deadline)
    }
}

/// libmicrohttpd times a connection out only after a stretch with no bytes at all
/// (`MHD_OPTION_CONNECTION_TIMEOUT`), so a head sent a line every few seconds held its connection
/// for as long as the client liked; it has no deadline for a whole head. This keeps the open
/// connections and shuts down those whose head is not complete in time: libmicrohttpd then reads
/// end-of-file and closes the connection itself, on its own thread.
final class HeadDeadlines: Sendable {
    /// From a connection's opening to the end of its first request head.
    let firstMillis: Int64
    /// From a response to the end of the next head on the same connection: at least the idle
    /// time a kept-alive connection had before, so a proxy's pooled connection is not cut sooner.
    let laterMillis: Int64
    private let clocks = Mutex<[ObjectIdentifier: ConnectionClock]>([:])
    private let running = Atomic<Bool>(false)

    init(firstMillis: Int64, idleMillis: Int64) {
        self.firstMillis = firstMillis
        laterMillis = max(firstMillis, idleMillis)
    }

    static func now() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }

    func opened(_ c: ConnectionClock) { clocks.withLock { $0[ObjectIdentifier(c)] = c } }

    /// Called before libmicrohttpd closes the socket: once removed, the sweep never touches the
    /// descriptor again (it shuts sockets down only while holding the same lock).
    func closed(_ c: ConnectionClock) { _ = clocks.withLock { $0.removeValue(forKey: ObjectIdentifier(c)) } }

    /// Shuts down every connection past its deadline; returns how many.
    @discardableResult
    func sweep(now: Int64 = HeadDeadlines.now()) -> Int {
        clocks.withLock { all in
            var n = 0
            for c in all.values {
                let d = c.deadline.load(ordering: .relaxed)
                guard d != 0, d <= now else { continue }
                // A head completed just now wins: only a deadline still set is acted on.
                let won = c.deadline.compareExchange(expected: d, desired: 0, ordering: .relaxed).exchanged
                guard won else { continue }
                shutdown(c.fd, Int32(SHUT_RDWR))
                n += 1
            }
            return n
        }
    }

    /// Sweeps on a thread of its own, a few times per `firstMillis`, until `stop`.
    func start() {
        guard !running.exchange(true, ordering: .relaxed) else { return }
        let interval = UInt32(min(1000, max(50, firstMillis / 4)) * 1000)
        let t = Thread { [self] in
            while running.load(ordering: .relaxed) {
                usleep(interval)
                sweep()
            }
        }
        t.name = "head-deadlines"
        t.start()
    }

    func stop() { running.store(false, ordering: .relaxed) }
}

/// libmicrohttpd's connection notices: a clock per connection, started at accept.
let httpConnectionNotify: MHD_NotifyConnectionCallback = { cls, connection, socketContext, code in
    guard let cls, let connection, let socketContext else { return }
    let heads = Unmanaged<HTTPServer>.fromOpaque(cls).takeUnretainedValue().heads
    switch code {
    case .CONNECTION_NOTIFY_STARTED:
        let fd = Int32(outreach_mhd_connection_fd(connection))
        let clock = ConnectionClock(fd: fd, deadline: HeadDeadlines.now() + heads.firstMillis)
        socketContext.pointee = UnsafeMutableRawPointer(Unmanaged.passRetained(clock).toOpaque())
        heads.opened(clock)
    case .CONNECTION_NOTIFY_CLOSED:
        guard let raw = socketContext.pointee else { return }
        let clock = Unmanaged<ConnectionClock>.fromOpaque(raw).takeRetainedValue()
        heads.closed(clock)
        socketContext.pointee = nil
    default:
        break
    }
}

/// The head of a request is in: no deadline while it is answered.
func headComplete(_ connection: OpaquePointer) {
    guard let raw = outreach_mhd_socket_context(connection) else { return }
    Unmanaged<ConnectionClock>.fromOpaque(raw).takeUnretainedValue().deadline.store(0, ordering: .relaxed)
}

/// A response went out: the next head on this connection has `laterMillis`.
func responseSent(_ connection: OpaquePointer, _ heads: HeadDeadlines) {
    guard let raw = outreach_mhd_socket_context(connection) else { return }
    Unmanaged<ConnectionClock>.fromOpaque(raw).takeUnretainedValue().deadline
        .store(HeadDeadlines.now() + heads.laterMillis, ordering: .relaxed)
}
