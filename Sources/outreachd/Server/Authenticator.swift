import Foundation
import Outreach

/// Checks `Authorization: Bearer` against the tokens file, or a Standard Webhooks signature.
struct Authenticator: Sendable {
    let tokens: [[UInt8]]
    let webhooks: StandardWebhooks?

    init(settings: ServerSettings) {
        tokens = settings.tokens.map { Array($0.utf8) }
        webhooks = settings.webhookSecret.flatMap { try? StandardWebhooks(secret: $0) }
    }

    /// How the caller proved who it is; a signed request carries its `webhook-id`.
    enum Caller { case token, webhook(id: String) }

    static let challenge = [("WWW-Authenticate", "Bearer realm=\"outreach\"")]

    func check(_ request: HTTPRequest) throws(APIError) -> Caller {
        let challenge = Self.challenge
        if let auth = request.header("authorization") {
            let bytes = Array(auth.utf8)
            guard bytes.count > 7, String(decoding: bytes[..<7], as: UTF8.self).lowercased() == "bearer " else {
                throw APIError(
                    401, "Authorization: use the Bearer scheme with a token from [server] tokens_file",
                    headers: challenge)
            }
            let given = Array(String(decoding: bytes[7...], as: UTF8.self).trimmingSpaces.utf8)
            // Compare against every token so the time taken says nothing about which one nearly matched.
            var ok = false
            for t in tokens where Crypto.constantTimeEqual(t, given) { ok = true }
            guard ok else {
                throw APIError(
                    401, "Authorization: the bearer token is not one of the configured tokens", headers: challenge)
            }
            return .token
        }
        if request.header("webhook-signature") != nil || request.header("webhook-id") != nil {
            guard let webhooks else {
                throw APIError(
                    401,
                    "webhook-signature: signed requests are not accepted; no [server] webhook_secret_file is configured",
                    headers: challenge)
            }
            do {
                let id = try webhooks.verify(headers: request.headerFields, body: request.body)
                return .webhook(id: id)
            } catch {
                throw APIError(401, error.description, headers: challenge)
            }
        }
        throw APIError(
            401, "Authorization: send a bearer token (Authorization: Bearer …) or a Standard Webhooks signature",
            headers: challenge)
    }
}
