/// How WhatsApp Cloud API webhooks to `/v1/receipts/{channel}` are checked: the subscription
/// handshake (`GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`) with the channel's
/// verify token, and every POST's `X-Hub-Signature-256` with the app secret.
public struct WhatsAppWebhookAuth: Sendable {
    let appSecret: [UInt8]
    let verifyToken: [UInt8]?

    /// - Parameters:
    ///   - appSecret: the Meta app's secret (`app_secret_file`), the key of every signature.
    ///   - verifyToken: the token typed into the app's webhook settings (`verify_token_file`);
    ///     without it no handshake is answered.
    public init(appSecret: String, verifyToken: String?) {
        self.appSecret = Array(appSecret.utf8)
        self.verifyToken = verifyToken.map { Array($0.utf8) }
    }

    /// The answer to the subscription handshake: the challenge to echo, or why it is refused.
    public func challenge(query: [String: String]) -> Result<String, WhatsAppRefusal> {
        guard let verifyToken else {
            return .failure(.init(status: 403, "hub.verify_token: the channel has no verify_token_file"))
        }
        guard query["hub.mode"] == "subscribe" else {
            return .failure(.init(status: 400, "hub.mode: must be subscribe"))
        }
        guard let given = query["hub.verify_token"], Crypto.constantTimeEqual(Array(given.utf8), verifyToken) else {
            return .failure(.init(status: 403, "hub.verify_token: does not match the channel's verify_token_file"))
        }
        guard let challenge = query["hub.challenge"], !challenge.isEmpty else {
            return .failure(.init(status: 400, "hub.challenge: missing"))
        }
        return .success(challenge)
    }

    /// Why a POST must be refused (its signature is missing or wrong), or nil to accept it.
    /// - Parameters:
    ///   - body: the body exactly as received.
    ///   - signature: the `X-Hub-Signature-256` header.
    public func refusal(body: [UInt8], signature: String?) -> String? {
        guard let signature, !signature.isEmpty else {
            return "X-Hub-Signature-256: missing; Meta signs every webhook with the app secret"
        }
        let expected = Receipts.whatsAppSignature(body: body, appSecret: appSecret)
        // Meta writes the hex digest in lower case.
        guard Crypto.constantTimeEqual(Array(signature.lowercased().utf8), Array(expected.utf8)) else {
            return "X-Hub-Signature-256: does not match the body signed with the channel's app_secret_file"
        }
        return nil
    }
}

/// A refused WhatsApp handshake: the status and the sentence to answer.
public struct WhatsAppRefusal: Error, Sendable, Equatable {
    public var status: Int
    public var message: String

    public init(status: Int, _ message: String) {
        self.status = status
        self.message = message
    }
}
