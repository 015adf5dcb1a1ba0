/// Takes credentials out of text before it is stored, logged or shown: a delivery's last error
/// holds what a peer or libcurl said, which can quote the request URL or echo what was sent.
///
/// Two rules, in this order: URLs in the text lose their userinfo, the values of query parameters
/// with secret-like names, and the token of Telegram's `/bot<token>/` path (see `redactURLs`);
/// then every configured secret is replaced wherever it appears, raw or encoded as a URL, form or
/// JSON would carry it.
public struct SecretRedactor: Sendable {
    /// What a removed credential is replaced with.
    public static let mark = "[redacted]"
    /// Shorter secrets are not searched for in free text: replacing every "ab" would garble the
    /// message and hide little. URL rules still remove them from URLs.
    public static let minimumLength = 4

    /// The configured secrets in every encoding they are sent in, longest first.
    let needles: [String]

    /// `secrets`: configured values (`Config.secretValues`); a multi-line value (a tokens file)
    /// also counts line by line.
    public init(secrets: some Sequence<String> = [String]()) {
        var all = Set<String>()
        for secret in secrets {
            let lines = secret.split(whereSeparator: \.isNewline).map { $0.trimmingSpaces }
            for s in [secret] + lines where s.count >= Self.minimumLength {
                let encoded = Self.percentEncode(s)
                all.formUnion([
                    s, encoded, encoded.lowercased(), encoded.replacingOccurrences(of: "%20", with: "+"),
                    Self.jsonEscaped(s),
                ])
            }
        }
        needles = all.sorted { $0.utf8.count != $1.utf8.count ? $0.utf8.count > $1.utf8.count : $0 < $1 }
    }

    /// `text` with URL credentials and every configured secret replaced by `mark`.
    public func redact(_ text: String) -> String {
        var out = Self.redactURLs(in: text)
        for needle in needles where out.contains(needle) {
            out = out.replacingOccurrences(of: needle, with: Self.mark)
        }
        return out
    }

    /// The outcome with its reason redacted; a sent outcome is returned as it is.
    public func redact(_ outcome: DeliveryOutcome) -> DeliveryOutcome {
        switch outcome {
        case .sent: return outcome
        case .transient(let reason, let retryAfter): return .transient(redact(reason), retryAfter: retryAfter)
        case .permanent(let reason, let suppress): return .permanent(redact(reason), suppress: suppress)
        case .unreachable(let reason, let answered): return .unreachable(redact(reason), peerAnswered: answered)
        }
    }

    /// As a JSON string literal carries it (`/` may be written `\/`).
    static func jsonEscaped(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "/", with: "\\/")
    }
}
