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
    private let daemon = Mutex<DaemonHandle?>(nil)
    /// Connections suspended and not yet answered; they must be resumed before the daemon stops.
    let suspended = Atomic<Int>(0)
    /// Requests begun and not yet completed (answered or aborted).
    let active = Atomic<Int>(0)

    init(maxBodyBytes: Int, trustProxy: Bool, handler: @escaping @Sendable (HTTPRequest) -> Reply) {
        self.handler = handler
        self.maxBodyBytes = Atomic(maxBodyBytes)
        self.trustProxy = Atomic(trustProxy)
    }

    /// Starts listening on `address` (`127.0.0.1:8025`, `[::1]:8025`, `0.0.0.0:8025`).
    func start(listen address: ListenAddress, threads: Int, connectionLimit: Int = 4096) throws(ServerError) {
        var flags = MHD_USE_EPOLL_INTERNAL_THREAD.rawValue | MHD_ALLOW_SUSPEND_RESUME.rawValue | MHD_USE_ERROR_LOG.rawValue | MHD_USE_TURBO.rawValue
        if address.isIPv6 { flags |= MHD_USE_IPv6.rawValue }
        let me = Unmanaged.passUnretained(self).toOpaque()
        let d: OpaquePointer? = address.withSockaddr { sa in
            outreach_mhd_start(flags, address.port, sa, httpAccessHandler, me, httpRequestCompleted, me,
                               UInt32(max(1, threads)), UInt32(connectionLimit), 16 * 1024, 60)
        }
        guard let d else { throw .cannotListen(address.description, reason: String(cString: strerror(errno))) }
        daemon.withLock { $0 = DaemonHandle(pointer: d) }
    }

    /// Stops accepting new connections; requests already received are still answered.
    func quiesce() {
        daemon.withLock { d in
            guard let d else { return }
            let fd = MHD_quiesce_daemon(d.pointer)
            if fd >= 0 { close(fd) }
        }
    }

    /// Closes every connection and joins the pool threads. Call after all suspended requests were answered.
    func stop() {
        let d = daemon.withLock { d -> DaemonHandle? in
            defer { d = nil }
            return d
        }
        if let d { MHD_stop_daemon(d.pointer) }
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
