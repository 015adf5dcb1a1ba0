import Foundation

extension Receipts {
    /// Twilio's `X-Twilio-Signature` for a callback: base64 of HMAC-SHA1, keyed with the account's
    /// auth token, over the URL Twilio called followed by every POST field, sorted by name, as
    /// name and value with nothing between (https://www.twilio.com/docs/usage/security).
    public static func twilioSignature(url: String, fields: [String: String], authToken: String) -> String {
        var text = Array(url.utf8)
        // Sorted by bytes, as Twilio's own libraries sort their (ASCII) names.
        for (name, value) in fields.sorted(by: { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }) {
            text += Array(name.utf8)
            text += Array(value.utf8)
        }
        return Data(Crypto.hmacSHA1(key: Array(authToken.utf8), text)).base64EncodedString()
    }
}
