import Outreach

/// `[channels.NAME] type = "smtp"`: where and how to reach the relay.
struct SMTPSettings: Sendable {
    enum TLS: String, Sendable { case none, starttls, implicit }

    var url: String
    var tls: TLS
    var username: String?
    var password: String?
    var caFile: String?
    var verifyTLS: Bool
    var maxConnections: Int
    var timeout: Double
    /// Where bounces go: each message's envelope sender becomes `local+TOKEN@domain` (VERP).
    var bounceAddress: String?

    init(section: ConfigSection) throws(ConfigError) {
        var url = try section.requireString("url")
        let scheme = url.split(separator: ":").first.map(String.init) ?? ""
        guard scheme == "smtp" || scheme == "smtps" else {
            throw section.invalid("url", "must start with smtp:// or smtps://")
        }
        let tlsName = try section.string("tls") ?? (scheme == "smtps" ? "implicit" : "starttls")
        guard let tls = TLS(rawValue: tlsName) else {
            throw section.invalid("tls", "must be none, starttls or implicit")
        }
        if tls == .implicit, scheme != "smtps" { throw section.invalid("tls", "implicit TLS needs an smtps:// url") }
        if tls != .implicit, scheme == "smtps" {
            throw section.invalid("tls", "an smtps:// url always uses implicit TLS")
        }
        // The path names the EHLO host; without one curl would send its own guess.
        if url.split(separator: "/", omittingEmptySubsequences: false).count <= 3 { url += "/localhost" }
        self.url = url
        self.tls = tls
        username = try section.string("username")
        password = try section.secret("password")
        if username != nil, password == nil {
            throw .missing(file: section.file, section: section.name, key: "password_file")
        }
        caFile = try section.readableFile("ca_file")
        verifyTLS = try section.bool("tls_verify") ?? true
        maxConnections = try section.int("max_connections") ?? 4
        guard (1...64).contains(maxConnections) else {
            throw section.invalid("max_connections", "must be between 1 and 64")
        }
        timeout = Double(try section.int("timeout") ?? 60)
        bounceAddress = try Self.bounceAddress(section)
    }

    /// `bounce_address`: a plain address whose local part leaves room for `+TOKEN` (RFC 5321
    /// allows 64 octets; a token takes up to 25).
    static func bounceAddress(_ section: ConfigSection) throws(ConfigError) -> String? {
        guard let raw = try section.string("bounce_address") else { return nil }
        let address: String
        do { address = try EmailAddress.normalize(raw) } catch {
            guard case .badEmail(_, let reason) = error else { throw section.invalid("bounce_address", "\(error)") }
            throw section.invalid("bounce_address", "must be an email address like bounces@news.example.org: \(reason)")
        }
        guard let at = address.lastIndex(of: "@"), address.utf8.distance(from: address.startIndex, to: at) <= 39
        else {
            throw section.invalid(
                "bounce_address", "needs a local part of at most 39 characters, so that +TOKEN fits in 64")
        }
        return address
    }
}
