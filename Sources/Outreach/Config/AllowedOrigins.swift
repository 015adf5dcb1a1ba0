import Foundation

/// `[server] allowed_origins`: the web pages (origins) whose scripts may post to the public
/// sign-up endpoint from a browser (CORS). Exact origins, `scheme://host[:port]`; `"*"` allows
/// any page, which also lets anyone's page sign people up through a visitor's browser.
public struct AllowedOrigins: Sendable, Equatable {
    /// Normalized origins (`https://www.example.org`, default port left out).
    public private(set) var origins: Set<String> = []
    public private(set) var any = false

    public init() {}

    /// - Throws: the first entry that is not an origin, with the reason.
    public init(_ entries: [String]) throws(OriginError) {
        for e in entries {
            if e == "*" {
                any = true
                continue
            }
            origins.insert(try Self.normalize(e))
        }
    }

    public var isEmpty: Bool { !any && origins.isEmpty }

    /// Whether a request's `Origin` may read the answer (and send a preflighted POST).
    public func allows(_ origin: String?) -> Bool {
        guard let origin, origin != "null", let o = try? Self.normalize(origin) else { return false }
        return any || origins.contains(o)
    }

    /// `HTTPS://WWW.Example.org:443` → `https://www.example.org`.
    public static func normalize(_ text: String) throws(OriginError) -> String {
        guard let u = URLComponents(string: text), let scheme = u.scheme?.lowercased(),
            scheme == "https" || scheme == "http"
        else { throw OriginError(origin: text, reason: "must start with https:// or http://") }
        guard let host = u.host?.lowercased(), !host.isEmpty else {
            throw OriginError(origin: text, reason: "has no host")
        }
        guard u.path.isEmpty, u.query == nil, u.fragment == nil, u.user == nil else {
            throw OriginError(origin: text, reason: "must be scheme://host[:port] only, without a path or query")
        }
        let port = u.port.flatMap { (scheme == "https" && $0 == 443) || (scheme == "http" && $0 == 80) ? nil : $0 }
        let h = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        return "\(scheme)://\(h)" + (port.map { ":\($0)" } ?? "")
    }
}

/// An `allowed_origins` entry that is not an origin.
public struct OriginError: Error, Sendable, Equatable, CustomStringConvertible {
    public var origin: String
    public var reason: String
    public var description: String { "'\(origin)' \(reason), like https://www.example.org" }
}
