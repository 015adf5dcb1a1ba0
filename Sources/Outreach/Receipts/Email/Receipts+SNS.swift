import Foundation

extension Receipts {
    /// Amazon SES events delivered by SNS to an HTTPS subscription: checks the SNS message
    /// signature with the configured certificate, the topic and the time, then reads the SES
    /// notification the message carries (`Receipts.sesNotification`).
    ///
    /// The certificate is never fetched from the message's `SigningCertURL`: that URL is the
    /// sender's to choose, and a daemon fetching what a request names is an outbound request on
    /// behalf of anyone who can reach the endpoint. A subscription confirmation is not confirmed
    /// either: its SubscribeURL is returned as a notice for the officer (docs/bounces-providers.md).
    static func sesEvents(
        _ body: [UInt8], certificates: [PublicKey], topic: String?, replay: ReplayGuard, now: Int64
    ) throws(ProviderWebhookError) -> ProviderEvents {
        guard let envelope = try? JSON.parse(body).objectValue else {
            throw .malformed("The body is not an SNS message (a JSON object).")
        }
        var fields: [String: String] = [:]
        for (k, v) in envelope { if case .string(let s) = v { fields[k] = s } }
        guard let signature = fields["Signature"], !signature.isEmpty else {
            throw .unsigned("The SNS message has no Signature; turn raw message delivery off for the subscription.")
        }
        let digest: PublicKey.Digest
        switch fields["SignatureVersion"] {
        case "1": digest = .sha1
        case "2": digest = .sha256
        default: throw .refused("The SNS message's SignatureVersion must be 1 or 2.")
        }
        let type = fields["Type"] ?? ""
        guard let text = snsStringToSign(fields) else {
            throw .malformed("The SNS message of Type \"\(type.singleLine.prefix(40))\" lacks a field SNS signs.")
        }
        guard let sig = Data(base64Encoded: signature), !sig.isEmpty else {
            throw .refused("The SNS message's Signature is not base64.")
        }
        guard certificates.contains(where: { $0.verify(Array(sig), of: text, digest: digest) }) else {
            // The URL is named so the officer can compare it with the certificate they installed
            // (SNS rotates its certificate now and then); it is not fetched.
            let url = (fields["SigningCertURL"] ?? "none").singleLine.prefix(300)
            throw .refused(
                "The SNS signature does not verify with sns_certificate_file (the message names the certificate \(url))."
            )
        }
        let arn = fields["TopicArn"] ?? ""
        if let topic, arn != topic {
            throw .refused("The SNS message comes from the topic \(arn.singleLine.prefix(300)), not sns_topic_arn.")
        }
        guard let sent = Timestamps.parse(fields["Timestamp"] ?? "") else {
            throw .malformed("The SNS message's Timestamp is not an ISO 8601 time.")
        }
        switch replay.admit(id: fields["MessageId"] ?? "", time: sent / 1000, now: now) {
        case .fresh: break
        case .seen: return ProviderEvents(duplicate: true)
        case .stale(let s): throw .refused("The SNS message was signed \(s) s ago, longer than SNS retries a message.")
        case .future(let s): throw .refused("The SNS message is dated \(s) s ahead of this server's clock.")
        }
        switch type {
        case "Notification":
            return try sesNotification(Array((fields["Message"] ?? "").utf8), event: fields["MessageId"])
        case "SubscriptionConfirmation":
            let url = (fields["SubscribeURL"] ?? "").singleLine
            let token = (fields["Token"] ?? "").singleLine
            return ProviderEvents(
                notice: "SNS asks to confirm the subscription of this endpoint to \(arn.singleLine); "
                    + "if that is your topic, open \(url) or run aws sns confirm-subscription --topic-arn "
                    + "\(arn.singleLine) --token \(token)")
        default:  // UnsubscribeConfirmation
            return ProviderEvents(ignored: 1, notice: "SNS unsubscribed this endpoint from \(arn.singleLine)")
        }
    }

    /// The text an SNS message's signature covers: name and value of each signed field, each on
    /// its own line, in the documented order (Subject only when present); nil for a Type SNS
    /// does not send or a missing field.
    /// https://docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html
    public static func snsStringToSign(_ fields: [String: String]) -> [UInt8]? {
        let names: [String]
        switch fields["Type"] {
        case "Notification":
            names =
                fields["Subject"] != nil
                ? ["Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type"]
                : ["Message", "MessageId", "Timestamp", "TopicArn", "Type"]
        case "SubscriptionConfirmation", "UnsubscribeConfirmation":
            names = ["Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn", "Type"]
        default:
            return nil
        }
        var out: [UInt8] = []
        for name in names {
            guard let value = fields[name] else { return nil }
            out += Array(name.utf8) + [0x0A] + Array(value.utf8) + [0x0A]
        }
        return out
    }
}
