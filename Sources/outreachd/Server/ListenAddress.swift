import Foundation

/// `[server] listen`: an IPv4 or IPv6 literal and a port.
struct ListenAddress: Sendable, CustomStringConvertible {
    var host: String
    var port: UInt16
    var isIPv6: Bool { host.contains(":") }
    var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }

    init(_ text: String) throws(ServerError) {
        var host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw .badListen(text)
            }
            host = text[text.index(after: text.startIndex)..<close]
            portText = text[text.index(close, offsetBy: 2)...]
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw .badListen(text) }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
        }
        if host.isEmpty || host == "*" { host = "0.0.0.0" }
        if host == "localhost" { host = "127.0.0.1" }
        guard let port = UInt16(portText) else { throw .badListen(text) }
        self.host = String(host)
        self.port = port
        var probe = in6_addr()
        guard inet_pton(isIPv6 ? AF_INET6 : AF_INET, self.host, &probe) == 1 else { throw .badListen(text) }
    }

    func withSockaddr<T>(_ body: (UnsafePointer<sockaddr>) -> T) -> T {
        if isIPv6 {
            var sa = sockaddr_in6()
            sa.sin6_family = sa_family_t(AF_INET6)
            sa.sin6_port = port.bigEndian
            inet_pton(AF_INET6, host, &sa.sin6_addr)
            return withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body) }
        }
        var sa = sockaddr_in()
        sa.sin_family = sa_family_t(AF_INET)
        sa.sin_port = port.bigEndian
        inet_pton(AF_INET, host, &sa.sin_addr)
        return withUnsafePointer(to: &sa) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1, body) }
    }
}

extension ListenAddress {
    /// Why a plain socket cannot bind here (`strerror` text), or nil when it can.
    ///
    /// The listener's own sockets share their port (`SO_REUSEPORT`), which would also let a second
    /// daemon of the same user quietly join and take half the connections; a socket without it
    /// cannot bind next to them, so this finds a port already taken by anyone, ourselves included.
    func bindProbe() -> String? {
        let fd = socket(isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return String(cString: strerror(errno)) }
        defer { close(fd) }
        // TIME_WAIT connections from a previous run do not count as taken.
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, socklen_t(MemoryLayout<Int32>.size))
        let length = socklen_t(isIPv6 ? MemoryLayout<sockaddr_in6>.size : MemoryLayout<sockaddr_in>.size)
        let ok = withSockaddr { bind(fd, $0, length) == 0 }
        return ok ? nil : String(cString: strerror(errno))
    }
}
