import Foundation

extension ProviderWebhook {
    /// The webhook an email channel's `provider` key asks for, with that provider's keys; nil
    /// without `provider`. Read by the channel, so `check` and `serve` refuse the same mistakes.
    ///
    /// - `ses`: `sns_certificate_file` (PEM X.509, one or more), optional `sns_topic_arn`.
    /// - `sendgrid`: `sendgrid_public_key` (base64 DER, as SendGrid shows it) or `sendgrid_public_key_file`.
    /// - `mailgun`: `signing_key_file` (the webhook signing key).
    /// - `postmark`: `basic_auth_file` (`user:password`).
    ///
    /// Secrets are read only from files (`secret` marks them for the redactor).
    public static func configured(section: ConfigSection, channel: String) throws(ConfigError) -> ProviderWebhook? {
        guard let name = try section.string("provider") else { return nil }
        guard let provider = EmailProvider(rawValue: name) else {
            throw section.invalid("provider", "must be ses, postmark, sendgrid or mailgun")
        }
        let check: Check
        switch provider {
        case .ses:
            check = .ses(certificates: try snsCertificates(section), topic: try snsTopic(section))
        case .sendgrid:
            check = .sendgrid(try sendGridKey(section))
        case .mailgun:
            let key = try fileSecret(section, "signing_key", what: "Mailgun's webhook signing key")
            check = .mailgun(signingKey: Array(key.utf8))
        case .postmark:
            let pair = try fileSecret(section, "basic_auth", what: "the user:password Postmark's webhook URL carries")
            let colon = pair.firstIndex(of: ":")
            guard let colon, colon != pair.startIndex, pair.index(after: colon) != pair.endIndex else {
                throw section.invalid("basic_auth_file", "must hold user:password (both not empty)")
            }
            check = .postmark(credentialsHash: Crypto.sha256(Array(pair.utf8)))
        }
        return ProviderWebhook(provider: provider, channel: channel, check: check)
    }

    /// A secret that may only come from `KEY_file`: a value written in the configuration would end
    /// up in backups and in `check`'s copies of it.
    static func fileSecret(_ section: ConfigSection, _ key: String, what: String) throws(ConfigError) -> String {
        if section.has(key) {
            throw section.invalid(
                key, "is a secret, read only from a file: put \(what) in a file and name it with \(key)_file")
        }
        guard let value = try section.secret(key), !value.isEmpty else {
            if section.has(key + "_file") { throw section.invalid(key + "_file", "names an empty file") }
            throw .missing(file: section.file, section: section.name, key: key + "_file")
        }
        return value
    }

    static func snsCertificates(_ section: ConfigSection) throws(ConfigError) -> [PublicKey] {
        guard let path = try section.readableFile("sns_certificate_file") else {
            throw .missing(file: section.file, section: section.name, key: "sns_certificate_file")
        }
        let pem = FileManager.default.contents(atPath: path).map { Array($0) } ?? []
        let keys = PublicKey.certificateKeys(pem: pem)
        guard !keys.isEmpty else {
            throw section.invalid("sns_certificate_file", "names \(path), which holds no PEM certificate")
        }
        // SNS signs with RSA (SHA1withRSA, SHA256withRSA).
        guard keys.allSatisfy({ $0.isRSA }) else {
            throw section.invalid("sns_certificate_file", "names \(path), whose certificate does not hold an RSA key")
        }
        return keys
    }

    static func snsTopic(_ section: ConfigSection) throws(ConfigError) -> String? {
        guard let topic = try section.string("sns_topic_arn") else { return nil }
        guard topic.hasPrefix("arn:"), !topic.contains(where: \.isWhitespace) else {
            throw section.invalid(
                "sns_topic_arn", "must be a topic ARN like arn:aws:sns:eu-west-1:123456789012:ses-events")
        }
        return topic
    }

    /// SendGrid shows its verification key as base64 of the DER public key; a file may hold that
    /// or a PEM `PUBLIC KEY` block.
    static func sendGridKey(_ section: ConfigSection) throws(ConfigError) -> PublicKey {
        let inline = try section.string("sendgrid_public_key")
        let path = try section.readableFile("sendgrid_public_key_file")
        let key: String
        let name: String
        switch (inline, path) {
        case (let k?, nil):
            (key, name) = (k, "sendgrid_public_key")
        case (nil, let p?):
            key = FileManager.default.contents(atPath: p).map { String(decoding: $0, as: UTF8.self) } ?? ""
            name = "sendgrid_public_key_file"
        case (_?, _?):
            throw section.invalid(
                "sendgrid_public_key_file", "is set together with 'sendgrid_public_key'; keep one of them")
        case (nil, nil):
            throw .missing(file: section.file, section: section.name, key: "sendgrid_public_key")
        }
        let parsed: PublicKey?
        if key.contains("-----BEGIN") {
            parsed = PublicKey(pem: Array(key.utf8))
        } else {
            parsed = Data(base64Encoded: key.filter { !$0.isWhitespace }).flatMap { PublicKey(der: Array($0)) }
        }
        guard let parsed else {
            throw section.invalid(
                name, "is not a public key (base64 of DER, as SendGrid's Signed Event Webhook shows it)")
        }
        guard parsed.isEC else { throw section.invalid(name, "is not an ECDSA key, which SendGrid signs with") }
        return parsed
    }
}
