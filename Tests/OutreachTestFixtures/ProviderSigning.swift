import COpenSSL
import Foundation
import Outreach

/// Signs provider webhook requests in process, as SNS, SendGrid, Mailgun and Postmark do, with the
/// test-only keys of Fixtures/providers (README there). Starts nothing: both test layers use it.
public enum ProviderSigning {
    public static var directory: String { FixturePaths.fixtures + "/providers" }

    public static func file(_ name: String) -> String {
        (try? String(contentsOfFile: directory + "/" + name, encoding: .utf8)) ?? ""
    }

    /// A signature with a PEM private key: PKCS #1 v1.5 for RSA, DER ECDSA for EC keys.
    public static func sign(_ data: [UInt8], keyPEM: String, sha1: Bool = false) -> [UInt8] {
        let pem = Array(keyPEM.utf8)
        let key = pem.withUnsafeBytes { raw -> OpaquePointer? in
            let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count))
            defer { BIO_free(bio) }
            return PEM_read_bio_PrivateKey(bio, nil, nil, nil)
        }
        guard let key, let ctx = EVP_MD_CTX_new() else { fatalError("the fixture key does not load") }
        defer {
            EVP_MD_CTX_free(ctx)
            EVP_PKEY_free(key)
        }
        guard EVP_DigestSignInit(ctx, nil, sha1 ? EVP_sha1() : EVP_sha256(), nil, key) == 1 else {
            fatalError("EVP_DigestSignInit failed")
        }
        var length = 0
        _ = data.withUnsafeBufferPointer { EVP_DigestSign(ctx, nil, &length, $0.baseAddress, $0.count) }
        var out = [UInt8](repeating: 0, count: length)
        guard data.withUnsafeBufferPointer({ EVP_DigestSign(ctx, &out, &length, $0.baseAddress, $0.count) }) == 1
        else { fatalError("EVP_DigestSign failed") }
        return Array(out.prefix(length))
    }

    /// An SNS message (`Type` Notification, or SubscriptionConfirmation with `subscribeURL`), signed
    /// with `keyPEM` (the fixture SNS key by default), as JSON text.
    public static func snsMessage(
        message: String, type: String = "Notification", topic: String = "arn:aws:sns:eu-west-1:123456789012:ses",
        messageID: String = UUID().uuidString.lowercased(), timestamp: Date = Date(), subject: String? = nil,
        version: String = "1", keyPEM: String = file("sns-key.pem"), edit: (inout [String: String]) -> Void = { _ in }
    ) -> [UInt8] {
        var fields: [String: String] = [
            "Type": type, "MessageId": messageID, "TopicArn": topic, "Message": message,
            "Timestamp": RFC3339.utc(timestamp).replacingOccurrences(of: "Z", with: ".000Z"),
            "SignatureVersion": version,
            "SigningCertURL": "https://sns.eu-west-1.amazonaws.com/SimpleNotificationService-test.pem",
        ]
        if let subject { fields["Subject"] = subject }
        if type != "Notification" {
            fields["Token"] = "2336412f37fb687f5d51e6e2425c464de12884c3"
            fields["SubscribeURL"] =
                "https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=\(topic)&Token=2336412f"
        }
        let text = Receipts.snsStringToSign(fields) ?? []
        fields["Signature"] = Data(sign(text, keyPEM: keyPEM, sha1: version == "1")).base64EncodedString()
        edit(&fields)
        return JSON.object(fields.mapValues { .string($0) }).serializedBytes
    }

    /// SendGrid's two headers for `body`, signed with the fixture ECDSA key.
    public static func sendGridHeaders(_ body: [UInt8], timestamp: String = String(Int(Date().timeIntervalSince1970)))
        -> [String: String]
    {
        let sig = sign(Array(timestamp.utf8) + body, keyPEM: file("sendgrid-key.pem"))
        return [
            "x-twilio-email-event-webhook-signature": Data(sig).base64EncodedString(),
            "x-twilio-email-event-webhook-timestamp": timestamp,
        ]
    }

    /// Mailgun's `signature` object: hex HMAC-SHA256 of timestamp and token with `key`.
    public static func mailgunSignature(key: String, timestamp: Int = Int(Date().timeIntervalSince1970), token: String)
        -> JSON
    {
        let hmac = Crypto.hex(Crypto.hmacSHA256(key: Array(key.utf8), Array("\(timestamp)\(token)".utf8)))
        return ["timestamp": .string(String(timestamp)), "token": .string(token), "signature": .string(hmac)]
    }

    /// `Authorization: Basic …` for `user:password`.
    public static func basicAuth(_ pair: String) -> String { "Basic " + Data(pair.utf8).base64EncodedString() }
}
