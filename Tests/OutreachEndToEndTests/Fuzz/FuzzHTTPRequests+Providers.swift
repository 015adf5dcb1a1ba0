import Foundation
import Outreach
import OutreachTestFixtures

/// Provider event webhooks (`/v1/receipts/email/CHANNEL`) for the HTTP fuzzer: each provider's
/// request correctly signed (the fixture keys of OutreachTestFixtures/Fixtures/providers) around a
/// mutated event, so the parsers behind the signature check see hostile content too; then
/// perhaps the body or a header broken after signing.
extension FuzzHTTPRequests {
    static let mailgunKey = "key-fuzzing-mailgun-signing-key"
    static let postmarkAuth = "fuzz:postmark-password"

    /// The `[channels.pv-*]` tables the fuzzed daemon runs with; the secrets are written to `dir`.
    static func providerChannels(dir: String) throws -> String {
        try (mailgunKey + "\n").write(toFile: dir + "/mg.key", atomically: true, encoding: .utf8)
        try (postmarkAuth + "\n").write(toFile: dir + "/pm.auth", atomically: true, encoding: .utf8)
        return """
            [channels.pv-ses]
            type = "outbox"
            provider = "ses"
            sns_certificate_file = "\(ProviderSigning.directory)/sns-cert.pem"
            [channels.pv-sendgrid]
            type = "outbox"
            provider = "sendgrid"
            sendgrid_public_key = "\(ProviderSigning.file("sendgrid-public.b64"))"
            [channels.pv-mailgun]
            type = "outbox"
            provider = "mailgun"
            signing_key_file = "\(dir)/mg.key"
            [channels.pv-postmark]
            type = "outbox"
            provider = "postmark"
            basic_auth_file = "\(dir)/pm.auth"
            """
    }

    static let providerSeeds: [String: JSON] = [
        "ses": [
            "notificationType": "Bounce",
            "mail": [
                "messageId": "s", "commonHeaders": ["messageId": "<outreach.1.1.x@example.org>"],
                "headers": [["name": "X-Outreach-Delivery", "value": "2"]], "tags": ["outreach_delivery": ["3"]],
            ],
            "bounce": [
                "bounceType": "Permanent",
                "bouncedRecipients": [
                    ["emailAddress": "ana@example.org", "status": "5.1.1", "diagnosticCode": "smtp; 550 5.1.1 unknown"]
                ],
            ],
            "complaint": ["complainedRecipients": [["emailAddress": "bo@example.org"]]],
            "delivery": ["recipients": ["ana@example.org"], "smtpResponse": "250 OK"],
        ],
        "sendgrid": [
            [
                "email": "ana@example.org", "event": "bounce", "type": "bounce", "status": "5.1.1", "reason": "550",
                "sg_event_id": "e1", "outreach_delivery": "1", "smtp-id": "<outreach.1.1.x@example.org>",
            ],
            ["email": "bo@example.org", "event": "delivered", "outreach_delivery": "2", "response": "250 OK"],
            ["email": "cy@example.org", "event": "dropped", "reason": "Bounced Address"],
        ],
        "mailgun": [
            "event": "failed", "severity": "permanent", "reason": "bounce", "id": "ev1", "recipient": "ana@example.org",
            "delivery-status": ["code": 550, "message": "5.1.1 no such user", "description": ""],
            "user-variables": ["outreach_delivery": "1"],
            "message": ["headers": ["message-id": "outreach.1.1.x@example.org"]],
        ],
        "postmark": [
            "RecordType": "Bounce", "ID": 1, "Type": "HardBounce", "Email": "ana@example.org",
            "Details": "smtp;550 5.1.1 unknown", "Metadata": ["outreach_delivery": "1"],
        ],
    ]

    func providerEvent(_ rng: inout SplitMix64) -> Request {
        let provider = rng.pick(["ses", "sendgrid", "mailgun", "postmark"])
        var channel = "pv-" + provider
        if rng.chance(8) {
            channel = rng.pick(["outbox", "texts", "nope", "pv-%73es", "pv-ses%00", String(repeating: "c", count: 300)])
        }
        var event = Self.providerSeeds[provider]!
        if rng.chance(75) { for _ in 0..<(1 + rng.below(3)) { event = Self.mutate(event, &rng) } }
        var text = event.serializedBytes
        if rng.chance(10) { text = Self.bodyMutator.mutate(text, &rng) }
        var headers: [(String, [UInt8])] = []
        var body: [UInt8]
        switch provider {
        case "ses":
            body = ProviderSigning.snsMessage(
                message: String(decoding: text, as: UTF8.self),
                type: rng.chance(10)
                    ? rng.pick(["SubscriptionConfirmation", "UnsubscribeConfirmation"]) : "Notification",
                messageID: "fuzz-\(rng.below(1_000_000))", subject: rng.chance(30) ? "Amazon SES Email Event" : nil,
                version: rng.pick(["1", "2"]))
            headers.append(("Content-Type", Array("text/plain; charset=UTF-8".utf8)))
        case "sendgrid":
            body = text
            headers = ProviderSigning.sendGridHeaders(body).map { ($0.key, Array($0.value.utf8)) }
        case "mailgun":
            let signature = ProviderSigning.mailgunSignature(key: Self.mailgunKey, token: "tok-\(rng.next())")
            body =
                Array(#"{"signature":"#.utf8) + signature.serializedBytes + Array(#","event-data":"#.utf8) + text + [
                    UInt8(ascii: "}")
                ]
        default:
            body = text
            headers.append(("Authorization", Array(ProviderSigning.basicAuth(Self.postmarkAuth).utf8)))
        }
        if provider != "ses" { headers.append(json) }
        switch rng.below(8) {
        case 0: body = Self.bodyMutator.mutate(body, &rng)
        case 1 where !headers.isEmpty:
            let i = rng.below(headers.count)
            headers[i].1 = Self.headerValue(String(decoding: headers[i].1, as: UTF8.self), &rng, mutate: true)
        case 2: headers.removeAll { $0.0 != "Content-Type" }
        default: break
        }
        return Request(
            method: rng.chance(3) ? "GET" : "POST", target: "/v1/receipts/email/\(channel)", headers: headers,
            body: body)
    }
}
