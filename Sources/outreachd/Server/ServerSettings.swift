import Foundation
import Outreach

/// `[server]` of the configuration, checked once at start and again on SIGHUP.
struct ServerSettings: Sendable {
    var listen = "127.0.0.1:8025"
    var threads = max(2, ProcessInfo.processInfo.activeProcessorCount)
    var maxBodyBytes = 1 << 20
    /// Use `X-Forwarded-For` as the client address (only behind a proxy you run).
    var trustProxy = false
    /// Sign-ups allowed per client address: `count` per `windowMillis`.
    var subscribeLimit = RateLimit(count: 5, windowMillis: 60_000)
    /// The template of the double opt-in confirmation message.
    var confirmTemplate = "confirm"
    /// How long SIGTERM waits for in-flight deliveries before giving their leases back.
    var drainTimeoutMillis: Int64 = 20_000
    /// How long a claimed delivery stays leased; after a crash, others take it over once it expires.
    var leaseMillis: Int64 = 5 * 60_000
    var tokens: [String] = []
    var webhookSecret: String?
    /// Connections one client address may hold (0: no limit). Behind a proxy every connection
    /// comes from the proxy, so with `trust_proxy` the default is no limit.
    var perIPConnections = 64
    /// How long a request head (request line and headers) may take to arrive in full.
    var headerTimeoutMillis: Int64 = 10_000
    /// The web pages whose scripts may post to the public sign-up endpoint (CORS).
    var allowedOrigins = AllowedOrigins()

    static let known: Set<String> = [
        "listen", "threads", "max_body_bytes", "trust_proxy", "subscribe_rate", "confirm_template",
        "drain_timeout", "lease", "tokens", "tokens_file", "webhook_secret", "webhook_secret_file",
        "per_ip_connections", "header_timeout", "allowed_origins",
    ]

    init() {}

    init(section s: ConfigSection) throws(ConfigError) {
        for k in s.keys where !Self.known.contains(k) { throw s.invalid(k, "is not a [server] setting") }
        if let v = try s.string("listen") {
            do { _ = try ListenAddress(v) } catch {
                throw s.invalid("listen", "must be HOST:PORT like 127.0.0.1:8025 or [::1]:8025")
            }
            listen = v
        }
        if let n = try s.int("threads") {
            guard (1...256).contains(n) else { throw s.invalid("threads", "must be between 1 and 256") }
            threads = n
        }
        if let n = try s.int("max_body_bytes") {
            guard n >= 1024 else { throw s.invalid("max_body_bytes", "must be at least 1024") }
            maxBodyBytes = n
        }
        if let b = try s.bool("trust_proxy") { trustProxy = b }
        if trustProxy { perIPConnections = 0 }
        if let n = try s.int("per_ip_connections") {
            guard (0...4096).contains(n) else {
                throw s.invalid("per_ip_connections", "must be between 0 (no limit) and 4096")
            }
            perIPConnections = n
        }
        if let d = try s.string("header_timeout") {
            guard let ms = WallClock.parseDuration(d), (1000...300_000).contains(ms) else {
                throw s.invalid("header_timeout", "must be a duration from 1s to 5m, like 10s")
            }
            headerTimeoutMillis = ms
        }
        if let r = try s.string("subscribe_rate") {
            guard let l = RateLimit(r) else {
                throw s.invalid("subscribe_rate", "must be COUNT/UNIT like 5/m or 200/h (units s, m, min, h, d)")
            }
            subscribeLimit = l
        }
        if let origins = try s.strings("allowed_origins") {
            do { allowedOrigins = try AllowedOrigins(origins) } catch {
                throw s.invalid("allowed_origins", "\(error.description)")
            }
        }
        if let t = try s.string("confirm_template") { confirmTemplate = t }
        if let d = try s.string("drain_timeout") {
            guard let ms = WallClock.parseDuration(d) else {
                throw s.invalid("drain_timeout", "must be a duration like 20s")
            }
            drainTimeoutMillis = ms
        }
        if let d = try s.string("lease") {
            guard let ms = WallClock.parseDuration(d), ms >= 1000 else {
                throw s.invalid("lease", "must be a duration of at least 1s, like 5m")
            }
            leaseMillis = ms
        }
        if let text = try s.secret("tokens") {
            tokens = text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty && !$0.hasPrefix("#") }
        }
        webhookSecret = try s.secret("webhook_secret")
        if let w = webhookSecret {
            do { _ = try StandardWebhooks(secret: w) } catch {
                throw s.invalid(
                    s.has("webhook_secret") ? "webhook_secret" : "webhook_secret_file",
                    "must hold a secret like whsec_ followed by base64")
            }
        }
    }
}
