import CMicroHTTPD
import Foundation
import Synchronization

/// The HTTP listener: libmicrohttpd with its own pool of epoll threads. Requests are copied into
/// `HTTPRequest` values and handed to `handler`; a handler may answer later from another thread
/// (the connection is suspended meanwhile, so a pool thread never waits for a disk commit).
final class HTTPServer: Sendable {
    let handler: @Sendable (HTTPRequest) -> Reply
    /// Bodies larger than this are refused with 413 (changed on reload).
    let maxBodyBytes: Atomic<Int>
    let trustProxy: Atomic<Bool>
    private let daemons = Mutex<[DaemonHandle]>([])
    /// Requests handed on to be answered later and not yet completed (their answer sent, or their
    /// connection closed): a drain waits for none before it stops the server, which frees the
    /// connections, so none is resumed or cut off while its answer is on the way.
    let suspended = Atomic<Int>(0)
    /// Set by a drain once its grace is over: a request is no longer handed on to be answered
    /// later (it is refused), so `suspended` only goes down. See `refuseLater()`.
    let refusingLater = Atomic<Bool>(false)
    /// Requests begun and not yet completed (answered or aborted).
    let active = Atomic<Int>(0)
    /// The deadline of each connection's request head (`[server] header_timeout`).
    let heads: HeadDeadlines
    /// libmicrohttpd's inactivity timeout: a connection with no bytes for this long is closed.
    static let idleTimeoutSeconds: UInt32 = 60

    init(
        maxBodyBytes: Int, trustProxy: Bool, headerTimeoutMillis: Int64 = 10_000,
        handler: @escaping @Sendable (HTTPRequest) -> Reply
    ) {
        self.handler = handler
        self.maxBodyBytes = Atomic(maxBodyBytes)
        self.trustProxy = Atomic(trustProxy)
        heads = HeadDeadlines(firstMillis: headerTimeoutMillis, idleMillis: Int64(Self.idleTimeoutSeconds) * 1000)
    }

    /// Starts listening on `address` (`127.0.0.1:8025`, `[::1]:8025`, `0.0.0.0:8025`).
    ///
    /// Each of the `threads` epoll threads is its own libmicrohttpd daemon with its own listening
    /// socket on the same port (`SO_REUSEPORT`), so the kernel spreads connections evenly. One
    /// daemon with a thread pool shares one socket, and whichever thread wakes first accepts a
    /// whole burst: under load one thread held most connections and answered them one by one
    /// while the other idled.
    ///
    /// `perAddressLimit` (0: none) is split evenly over the daemons, since libmicrohttpd counts
    /// per daemon: one address is refused once it holds its share on any one of them.
    func start(
        listen address: ListenAddress, threads: Int, connectionLimit: Int = 4096,
        perAddressLimit: Int = 0
    ) throws(ServerError) {
        var flags =
            MHD_USE_EPOLL_INTERNAL_THREAD.rawValue | MHD_ALLOW_SUSPEND_RESUME.rawValue | MHD_USE_ERROR_LOG.rawValue
            | MHD_USE_TURBO.rawValue
        if address.isIPv6 { flags |= MHD_USE_IPv6.rawValue }
        let me = Unmanaged.passUnretained(self).toOpaque()
        let count = max(1, threads)
        let perAddress = perAddressLimit > 0 ? UInt32(max(1, perAddressLimit / count)) : 0
        if count > 1, address.port != 0, let reason = address.bindProbe() {
            throw .cannotListen(address.description, reason: reason)
        }
        var address = address
        var started: [DaemonHandle] = []
        for _ in 0..<count {
            let d: OpaquePointer? = address.withSockaddr { sa in
                outreach_mhd_start(
                    flags, address.port, sa, httpAccessHandler, me, httpRequestCompleted, me,
                    UInt32(max(1, connectionLimit / count)), 16 * 1024, Self.idleTimeoutSeconds,
                    count > 1 ? 1 : 0, perAddress, httpConnectionNotify, me)
            }
            guard let d else {
                let reason = String(cString: strerror(errno))
                for s in started { MHD_stop_daemon(s.pointer) }
                throw .cannotListen(address.description, reason: reason)
            }
            // Port 0 asks for any free port; the other sockets must share the one it got.
            if address.port == 0 { address.port = outreach_mhd_bound_port(d) }
            started.append(DaemonHandle(pointer: d))
        }
        daemons.withLock { $0 = started }
        heads.start()
    }

    /// Stops accepting new connections; requests already received are still answered.
    func quiesce() {
        daemons.withLock { ds in
            for d in ds {
                let fd = MHD_quiesce_daemon(d.pointer)
                if fd >= 0 { close(fd) }
            }
        }
    }

    /// From now on a request that would be answered later is answered 503 at once. Once this has
    /// returned and `suspended` was seen at 0, no connection is suspended any more, and `stop` frees
    /// none that a later answer would resume. A handler counts itself in `suspended` before it reads
    /// the flag, and this sets the flag before `suspended` is read, both sequentially consistent:
    /// either the handler sees the flag, or the drain sees it counted.
    func refuseLater() {
        refusingLater.store(true, ordering: .sequentiallyConsistent)
    }

    /// Closes every connection and joins the pool threads. Call after all suspended requests were answered.
    func stop() {
        let ds = daemons.withLock { ds -> [DaemonHandle] in
            defer { ds = [] }
            return ds
        }
        for d in ds { MHD_stop_daemon(d.pointer) }
        heads.stop()
    }
}

/// The libmicrohttpd daemon pointer; its functions may be called from any thread.
struct DaemonHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// Why the listener could not start.
enum ServerError: Error, CustomStringConvertible {
    case cannotListen(String, reason: String)
    case badListen(String)

    var description: String {
        switch self {
        case .cannotListen(let a, let r): return "Cannot listen on \(a): \(r) (is another process using the port?)"
        case .badListen(let s): return "[server] listen = \"\(s)\" is not HOST:PORT like 127.0.0.1:8025 or [::1]:8025"
        }
    }
}
