import Outreach

/// How a callback to `/v1/receipts/{channel}` is told to come from the channel's gateway: the
/// `?token=` of `receipt_token` in the URL it was handed, and, for Twilio, its request signature.
public struct SMSReceiptAuth: ReceiptCheck {
    /// `{public_url}/v1/receipts/{channel}`, with `?token=` when `receipt_token` is set; handed to
    /// the gateway with every message. Nil without `public_url` (then no receipts are asked for).
    public let callbackURL: String?
    let token: String?
    /// The account's auth token, when `X-Twilio-Signature` is checked.
    let twilioAuthToken: String?
    /// For `preset = "whatsapp"`: the app secret and verify token its webhooks are checked with.
    public let whatsApp: WhatsAppWebhookAuth?

    /// `receipt_token` (or `receipt_token_file`), and for `preset = "twilio"` the `auth_token`
    /// its signatures are checked with, unless `verify_signature = false`.
    public init(name: String, section: ConfigSection, publicURL: String?) throws(ConfigError) {
        token = try section.secret("receipt_token")
        // Unreserved URL characters only: nothing to escape, and nothing Kannel could take for one
        // of its %-codes when it fills in its dlr-url.
        if let t = token, t.isEmpty || !t.utf8.allSatisfy({ Self.unreserved.contains($0) }) {
            throw section.invalid(
                section.has("receipt_token") ? "receipt_token" : "receipt_token_file",
                "must be letters, digits, '-', '_', '.' or '~' (e.g. from openssl rand -hex 32)")
        }
        var base = publicURL ?? ""
        while base.hasSuffix("/") { base.removeLast() }
        callbackURL =
            base.isEmpty
            ? nil
            : base + "/v1/receipts/" + HTTPForm.escape(name) + (token.map { "?token=" + HTTPForm.escape($0) } ?? "")
        if try section.string("preset") == "twilio", try section.bool("verify_signature") ?? true {
            twilioAuthToken = try section.secret("auth_token")
        } else {
            twilioAuthToken = nil
        }
        if try section.string("preset") == "whatsapp" {
            guard let secret = try section.secret("app_secret"), !secret.isEmpty else {
                throw .missing(file: section.file, section: section.name, key: "app_secret_file")
            }
            whatsApp = WhatsAppWebhookAuth(appSecret: secret, verifyToken: try section.secret("verify_token"))
        } else {
            whatsApp = nil
        }
    }

    static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~".utf8)

    /// Why the callback must be refused (a sentence for the 401), or nil to accept it.
    /// `form` is the POST body's fields only; `query` the URL's.
    public func refusal(method: String, query: [String: String], form: [String: String], signature: String?) -> String?
    {
        if let token {
            guard let given = query["token"], Crypto.constantTimeEqual(Array(given.utf8), Array(token.utf8)) else {
                return "token: the receipt URL's token does not match the channel's receipt_token"
            }
        }
        guard let key = twilioAuthToken else { return nil }
        guard let signature, !signature.isEmpty else {
            return
                "X-Twilio-Signature: missing; Twilio signs every callback (or set verify_signature = false for the channel)"
        }
        guard method == "POST" else {
            return "X-Twilio-Signature: only POST callbacks can be checked; set the callback method to POST"
        }
        // The URL is the one outreachd hands out; a callback set up by hand must use it exactly.
        guard let url = callbackURL else {
            return "X-Twilio-Signature: cannot be checked without public_url in the configuration"
        }
        let expected = Receipts.twilioSignature(url: url, fields: form, authToken: key)
        guard Crypto.constantTimeEqual(Array(signature.utf8), Array(expected.utf8)) else {
            return
                "X-Twilio-Signature: does not match the request signed with the channel's auth_token for its callback URL"
        }
        return nil
    }
}
