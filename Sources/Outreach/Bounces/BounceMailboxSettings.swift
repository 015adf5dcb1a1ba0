import Foundation

/// The `[bounces]` keys of the mailbox the daemon reads over IMAP: `mailbox` (the URL, with the
/// user and without the password), `password_file`, `poll`, `processed_folder`, and for TLS `tls`,
/// `ca_file`, `tls_verify` as an SMTP channel has them. Checked once at start and by `check`.
public struct BounceMailboxSettings: Sendable, Equatable {
    /// How the connection is protected.
    public enum TLS: String, Sendable {
        /// Plain text: only where nobody can listen (loopback).
        case none
        /// `imap://` upgraded with STARTTLS; a server without it is refused, never read in plain text.
        case starttls
        /// `imaps://`.
        case implicit
    }

    /// `imap` or `imaps`.
    public var scheme: String
    public var host: String
    public var port: Int?
    public var username: String
    /// The mailbox read (`INBOX`), as the server names it.
    public var mailbox: String
    public var password: String
    public var tls: TLS
    public var caFile: String?
    public var verifyTLS: Bool
    /// Where parsed bounces go, flagged read (`Processed`), as the server names it.
    public var processedFolder: String
    public var pollMillis: Int64

    public static let defaultProcessedFolder = "Processed"
    public static let defaultPollMillis: Int64 = 60_000

    /// The settings when `[bounces]` names a `mailbox`, else nil (the daemon reads no mailbox).
    public static func from(_ config: Config) throws(ConfigError) -> BounceMailboxSettings? {
        guard let section = config.sections["bounces"], section.has("mailbox") else { return nil }
        return try BounceMailboxSettings(section: section)
    }

    public init(section s: ConfigSection) throws(ConfigError) {
        let url = try s.requireString("mailbox")
        let example = "like imaps://bounces@mail.example.org/INBOX"
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(),
            scheme == "imap" || scheme == "imaps"
        else { throw s.invalid("mailbox", "must be an imap:// or imaps:// URL, \(example)") }
        guard parts.password == nil else {
            throw s.invalid("mailbox", "must not hold the password; put it in password_file")
        }
        guard let user = parts.user, !user.isEmpty else {
            throw s.invalid("mailbox", "must name the user, \(example) (an @ in the user is written %40)")
        }
        guard let host = parts.host, !host.isEmpty else {
            throw s.invalid("mailbox", "must name the server, \(example)")
        }
        guard parts.query == nil, parts.fragment == nil else {
            throw s.invalid("mailbox", "must name a mailbox only, without ? or #, \(example)")
        }
        var path = parts.path
        while path.hasPrefix("/") { path.removeFirst() }
        while path.hasSuffix("/") { path.removeLast() }
        let mailbox = path.isEmpty ? "INBOX" : path
        guard Self.isPlainName(mailbox), !mailbox.contains(";") else {
            throw s.invalid(
                "mailbox", "must name the mailbox in printable ASCII without ';' (\(mailbox.debugDescription))")
        }
        self.scheme = scheme
        self.host = host
        self.port = parts.port
        self.username = user
        self.mailbox = mailbox

        let tlsName = try s.string("tls") ?? (scheme == "imaps" ? "implicit" : "starttls")
        guard let tls = TLS(rawValue: tlsName) else { throw s.invalid("tls", "must be none, starttls or implicit") }
        if tls == .implicit, scheme != "imaps" { throw s.invalid("tls", "implicit TLS needs an imaps:// mailbox") }
        if tls != .implicit, scheme == "imaps" {
            throw s.invalid("tls", "an imaps:// mailbox always uses implicit TLS")
        }
        self.tls = tls
        caFile = try s.readableFile("ca_file")
        verifyTLS = try s.bool("tls_verify") ?? true

        guard let password = try s.secret("password") else {
            throw .missing(file: s.file, section: s.name, key: "password_file")
        }
        self.password = password

        let folder = try s.string("processed_folder") ?? Self.defaultProcessedFolder
        guard !folder.isEmpty, Self.isPlainName(folder) else {
            throw s.invalid("processed_folder", "must be a folder name in printable ASCII, like Processed")
        }
        guard folder.caseInsensitiveCompare(mailbox) != .orderedSame else {
            throw s.invalid("processed_folder", "must differ from the mailbox read (\(mailbox))")
        }
        processedFolder = folder

        if let d = try s.string("poll") {
            guard let ms = WallClock.parseDuration(d), (1000...86_400_000).contains(ms) else {
                throw s.invalid("poll", "must be a duration from 1s to 1d, like 60s")
            }
            pollMillis = ms
        } else {
            pollMillis = Self.defaultPollMillis
        }
    }

    /// The mailbox as the log and `check` name it: no password, ever.
    public var displayName: String {
        let userPart = username.addingPercentEncoding(withAllowedCharacters: .urlUserAllowed) ?? username
        return "\(scheme)://\(userPart)@\(host)\(port.map { ":\($0)" } ?? "")/\(mailbox)"
    }

    /// A name IMAP takes as a quoted string without modified UTF-7: printable ASCII. A name with
    /// other characters must be written as the server spells it (`&AOQ-` for `ä`).
    static func isPlainName(_ name: String) -> Bool {
        name.unicodeScalars.allSatisfy { (0x20..<0x7F).contains($0.value) }
    }
}
