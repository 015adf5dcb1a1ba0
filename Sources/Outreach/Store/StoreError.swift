/// A store operation refused for a reason the user can act on.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case unknownList(String)
    case listExists(String)
    case unknownContact(String)
    case idempotencyConflict(key: String)
    case unsupportedURL(String)
    case schemaTooNew(found: Int, supported: Int)
    /// A shared database (PostgreSQL) behind this outreachd's schema: nodes do not migrate at start.
    case notMigrated(found: Int, required: Int)
    case syncFailed(path: String, reason: String)
    case resubscribeRefused(list: String, contact: String, since: Int64)
    case noConfirmationChannel(list: String)

    public var description: String {
        switch self {
        case .unknownList(let n): return "There is no list named '\(n)'; create it with `outreachd lists create \(n)`."
        case .listExists(let n): return "A list named '\(n)' already exists."
        case .unknownContact(let k): return "No contact matches '\(k)'."
        case .idempotencyConflict(let k): return "The Idempotency-Key '\(k)' was already used with a different request."
        case .unsupportedURL(let u):
            return "The storage url '\(Self.withoutPassword(u))' is not supported; "
                + "use sqlite:PATH or postgresql://USER@HOST:PORT/DATABASE."
        case .syncFailed(let p, let r): return "Could not flush \(p) to disk: \(r); check the disk and its free space."
        case .noConfirmationChannel(let l):
            return
                "A sign-up to \(l) must be confirmed, but no channel can send the confirmation to that address; configure one."
        case .resubscribeRefused(let l, let c, let since):
            return
                "\(c) unsubscribed from \(l) on \(WallClock.rfc3339(since)); subscribe them again only at their own request, "
                + "with --resubscribe --evidence \"how they asked\"."
        case .notMigrated(let f, let r):
            let state =
                f == 0
                ? "has no outreach schema yet" : "has schema version \(f) but this outreachd needs \(r)"
            return "The PostgreSQL database \(state); run `outreachd storage migrate` first."
        case .schemaTooNew(let f, let s):
            return "The database has schema version \(f) but this outreachd knows only up to \(s); upgrade outreachd."
        }
    }
}

extension StoreError {
    /// A `postgresql://` or `postgres://` URL (libpq's two schemes), whatever the case.
    public static func isPostgres(_ url: String) -> Bool {
        let u = url.lowercased()
        return u.hasPrefix("postgresql://") || u.hasPrefix("postgres://")
    }

    /// The URL with the password of `scheme://user:password@host` replaced by `***`, so an error
    /// that quotes the configuration never shows it.
    static func withoutPassword(_ url: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        let rest = url[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        guard let at = authority.lastIndex(of: "@"), let colon = authority[..<at].firstIndex(of: ":") else {
            return url
        }
        return String(url[..<authority.index(after: colon)]) + "***" + String(url[at...])
    }
}
