import Foundation
import Outreach
import Testing

/// Provider event webhooks through a real `outreachd serve`: mail goes out over SMTP (aiosmtpd)
/// on four channels, one per provider; the events come back signed by Tests/peers/provider_webhooks.py
/// (Python's `cryptography`, hmac, base64: each provider's documented algorithm, not ours),
/// echoing our ids the way each provider does. Signed events are applied; unsigned, forged,
/// tampered and replayed ones are refused with one sentence and change nothing.
@Suite struct ProviderWebhookEndToEndTests {
    static let topic = "arn:aws:sns:eu-west-1:123456789012:ses-events"
    static let mailgunKey = "key-" + UUID().uuidString.lowercased()
    static let postmarkAuth = "postmark:" + UUID().uuidString

    /// A daemon with the channels `ses`, `sg`, `mg`, `pm` on one SMTP peer, and the keys of the peer.
    final class Setup {
        let smtp: SMTPServer
        let d: DaemonHarness
        let keys: String

        init() throws {
            smtp = try SMTPServer()
            keys = TestSupport.temporaryDirectory("provider-keys")
            let made = try TestSupport.run("python3", [Self.peer, "keys", keys])
            guard made.status == 0, let sg = try JSON.parse(made.stdout)["sendgrid_public_key"]?.stringValue else {
                throw HarnessError.client(made.stderr)
            }
            try (ProviderWebhookEndToEndTests.mailgunKey + "\n").write(
                toFile: keys + "/mg.key", atomically: true, encoding: .utf8)
            try (ProviderWebhookEndToEndTests.postmarkAuth + "\n").write(
                toFile: keys + "/pm.auth", atomically: true, encoding: .utf8)
            let relay = "type = \"smtp\"\nurl = \"smtp://127.0.0.1:\(smtp.port)\"\ntls = \"none\""
            d = try DaemonHarness(
                channels: """
                    [channels.ses]
                    \(relay)
                    provider = "ses"
                    sns_certificate_file = "\(keys)/sns-cert.pem"
                    sns_topic_arn = "\(ProviderWebhookEndToEndTests.topic)"
                    [channels.sg]
                    \(relay)
                    provider = "sendgrid"
                    sendgrid_public_key = "\(sg)"
                    [channels.mg]
                    \(relay)
                    provider = "mailgun"
                    signing_key_file = "\(keys)/mg.key"
                    [channels.pm]
                    \(relay)
                    provider = "postmark"
                    basic_auth_file = "\(keys)/pm.auth"
                    """,
                top: "[sender]\nfrom = \"News <news@example.org>\"")
        }

        static var peer: String { TestSupport.packageRoot + "/Tests/peers/provider_webhooks.py" }

        /// Each provider and its channel.
        static let channels = ["ses": "ses", "sendgrid": "sg", "mailgun": "mg", "postmark": "pm"]

        /// Starts the daemon, sends one mail per provider channel to `PROVIDER-SUFFIX@example.org`
        /// (and the `extra` addresses on Postmark's), and waits until all are sent.
        func start(sending suffix: String, extra: [String] = []) throws -> [String: (id: Int64, address: String)] {
            try d.start()
            var sent: [String: (id: Int64, address: String)] = [:]
            for (provider, channel) in Self.channels {
                let address = "\(provider)-\(suffix)@example.org"
                sent[provider] = (try send(address, on: channel), address)
            }
            for address in extra { sent[address] = (try send(address, on: "pm"), address) }
            try TestSupport.waitFor("\(sent.count) mails sent") {
                try sent.values.allSatisfy { try state($0.id) == "sent" }
            }
            return sent
        }

        /// Sends the welcome mail to `address` on `channel`; the delivery id.
        func send(_ address: String, on channel: String) throws -> Int64 {
            let r = try d.send(
                d.trigger(#"{"template":"welcome","to":[{"email":"\#(address)"}],"channels":["\#(channel)"]}"#))
            guard r.status == 202, let id = r.json?["deliveries"]?.arrayValue?.first?["id"]?.intValue else {
                throw HarnessError.client("trigger answered \(r.status): \(r.body)")
            }
            return Int64(id)
        }

        /// The header fields of the mail the SMTP peer received for `address` (names lower-cased),
        /// read by Python's email package: what the provider's relay would have seen.
        func received(to address: String) throws -> [String: String] {
            for m in smtp.messages() {
                let r = try TestSupport.python(
                    """
                    import sys, json, email, email.policy
                    m = email.message_from_bytes(sys.stdin.buffer.read(), policy=email.policy.default)
                    print(json.dumps({k.lower(): str(v) for k, v in m.items()}))
                    """, stdin: m)
                let fields = (try JSON.parse(r.stdout).objectValue ?? [:]).compactMapValues(\.stringValue)
                if fields["to"]?.contains(address) == true { return fields }
            }
            throw HarnessError.client("no mail to \(address) arrived")
        }

        /// A request signed by the peer, posted to the channel's provider endpoint.
        func post(_ channel: String, _ spec: JSON) throws -> DaemonHarness.Response {
            let made = try TestSupport.run("python3", [Self.peer, "request", keys], stdin: spec.serializedBytes)
            guard made.status == 0, let r = try? JSON.parse(made.stdout) else { throw HarnessError.client(made.stderr) }
            return try d.send([
                "method": "POST", "path": .string("/v1/receipts/email/\(channel)"), "headers": r["headers"] ?? [:],
                "body": r["body"] ?? "",
            ])
        }

        func state(_ delivery: Int64) throws -> String? {
            let r = try d.cli(["queue", "list", "--json"])
            for row in (try JSON.parse(r.stdout)).arrayValue ?? [] where row["id"]?.intValue == Int(delivery) {
                return row["state"]?.stringValue
            }
            return nil
        }
    }

    /// The events each provider sends for a delivered message, echoing our id its own way from
    /// the header fields its relay received (`EmailProvider.metadataHeader`, our Message-ID).
    static func delivered(_ provider: String, _ mail: [String: String], to address: String) throws -> JSON {
        let messageID = mail["message-id"] ?? ""
        switch provider {
        case "ses":
            // Identity notifications carry the Message-ID; the tag needs a configuration set.
            return [
                "provider": "ses", "topic": .string(topic), "version": "2",
                "message": [
                    "notificationType": "Delivery",
                    "mail": ["messageId": "0102-ses", "commonHeaders": ["messageId": .string(messageID)]],
                    "delivery": ["recipients": [.string(address)], "smtpResponse": "250 2.0.0 OK"],
                ],
            ]
        case "sendgrid":
            // SendGrid puts the X-SMTPAPI unique arguments into each event.
            var event: [String: JSON] = ["email": .string(address), "event": "delivered", "response": "250 OK"]
            event.merge(try echoed(provider, mail)) { $1 }
            return [
                "provider": "sendgrid", "events": [["email": .string(address), "event": "processed"], .object(event)],
            ]
        case "mailgun":
            return [
                "provider": "mailgun", "signing_key": .string(mailgunKey),
                "event": [
                    "event": "delivered", "id": "mg-d", "recipient": .string(address),
                    "delivery-status": ["code": 250, "message": "OK"],
                    "user-variables": .object(try echoed(provider, mail)),
                    "message": ["headers": ["message-id": .string(String(messageID.dropFirst().dropLast()))]],
                ],
            ]
        default:
            return [
                "provider": "postmark", "auth": .string(postmarkAuth),
                "record": [
                    "RecordType": "Delivery", "Recipient": .string(address), "Details": "Test delivery",
                    "Metadata": .object(try echoed(provider, mail)),
                ],
            ]
        }
    }

    /// The metadata the provider's relay read from our header field, as that provider echoes it
    /// (Postmark turns each `X-PM-Metadata-KEY` into `Metadata.KEY`).
    static func echoed(_ provider: String, _ mail: [String: String]) throws -> [String: JSON] {
        switch provider {
        case "sendgrid": return try JSON.parse(mail["x-smtpapi"] ?? "{}")["unique_args"]?.objectValue ?? [:]
        case "mailgun": return try JSON.parse(mail["x-mailgun-variables"] ?? "{}").objectValue ?? [:]
        default:
            var metadata: [String: JSON] = [:]
            for (k, v) in mail where k.hasPrefix("x-pm-metadata-") {
                metadata[String(k.dropFirst("x-pm-metadata-".count))] = .string(v)
            }
            return metadata
        }
    }

    /// A hard bounce (550 5.1.1, user unknown) as each provider reports it.
    static func bounced(_ provider: String, _ mail: [String: String], to address: String) throws -> JSON {
        let words = "550 5.1.1 <\(address)>: Recipient address rejected: User unknown"
        switch provider {
        case "ses":
            return [
                "provider": "ses", "topic": .string(topic), "version": "1",
                "message": [
                    "notificationType": "Bounce",
                    "mail": [
                        "messageId": "0102-ses", "commonHeaders": ["messageId": .string(mail["message-id"] ?? "")],
                    ],
                    "bounce": [
                        "bounceType": "Permanent", "bounceSubType": "General",
                        "bouncedRecipients": [
                            [
                                "emailAddress": .string(address), "action": "failed", "status": "5.1.1",
                                "diagnosticCode": .string("smtp; " + words),
                            ]
                        ],
                    ],
                ],
            ]
        case "sendgrid":
            var event: [String: JSON] = [
                "email": .string(address), "event": "bounce", "type": "bounce", "status": "5.1.1",
                "reason": .string(words), "sg_event_id": "sg-bounce-1",
            ]
            event.merge(try echoed(provider, mail)) { $1 }
            return ["provider": "sendgrid", "events": [.object(event)]]
        case "mailgun":
            return [
                "provider": "mailgun", "signing_key": .string(mailgunKey),
                "event": [
                    "event": "failed", "severity": "permanent", "reason": "bounce", "id": "mg-b",
                    "recipient": .string(address), "delivery-status": ["code": 550, "message": .string(words)],
                    "user-variables": .object(try echoed(provider, mail)),
                ],
            ]
        default:
            return [
                "provider": "postmark", "auth": .string(postmarkAuth),
                "record": [
                    "RecordType": "Bounce", "ID": 42, "Type": "HardBounce", "Email": .string(address),
                    "Details": .string("smtp;" + words), "Metadata": .object(try echoed(provider, mail)),
                ],
            ]
        }
    }

    /// Signed bounces and a complaint go through the bounce pipeline: the deliveries move and the
    /// addresses are suppressed, as `suppressions show` says.
    @Test func signedBouncesAreSuppressedThroughThePipeline() throws {
        let s = try Setup()
        let sent = try s.start(sending: "gone", extra: ["spam@example.org"])
        let spam = sent["spam@example.org"]!.id
        for (provider, channel) in Setup.channels {
            let (id, address) = sent[provider]!
            let r = try s.post(channel, try Self.bounced(provider, try s.received(to: address), to: address))
            #expect(r.status == 200 && r.json?["bounces"]?.intValue == 1, "\(provider): \(r.body)")
            #expect(try s.state(id) == "bounced", "\(provider)")
            let shown = try s.d.cli(["suppressions", "show", address, "--json"])
            let j = try JSON.parse(shown.stdout)
            #expect(j["suppression"]?["reason"]?.stringValue == "bounce", "\(provider): \(shown.stdout)")
            let bounce = j["bounces"]?.arrayValue?.first
            #expect(bounce?["status"]?.stringValue == "5.1.1", "\(provider): \(shown.stdout)")
            #expect(
                bounce?["source"]?.stringValue?.hasPrefix("\(provider) webhook on \(channel)") == true,
                "\(shown.stdout)")
        }
        let complaint = try s.post(
            "pm",
            [
                "provider": "postmark", "auth": .string(Self.postmarkAuth),
                "record": [
                    "RecordType": "SpamComplaint", "ID": 43, "Type": "SpamComplaint", "Email": "spam@example.org",
                    "Metadata": ["outreach_delivery": .string(String(spam))],
                ],
            ])
        #expect(complaint.status == 200, "\(complaint.body)")
        #expect(try s.state(spam) == "complained")
        let listed = try s.d.cli(["suppressions", "list"])
        #expect(listed.stdout.contains("spam@example.org") && listed.stdout.contains("complaint"), "\(listed.stdout)")
        #expect(s.d.stop().status == 0)
    }

    @Test func signedDeliveryEventsMoveDeliveriesAndForgeriesChangeNothing() throws {
        let s = try Setup()
        let sent = try s.start(sending: "ok")
        let channels = Setup.channels

        // Each relay was told our delivery id in its provider's own header field.
        let expected = [
            "ses": "x-ses-message-tags", "sendgrid": "x-smtpapi", "mailgun": "x-mailgun-variables",
            "postmark": "x-pm-metadata-outreach_delivery",
        ]
        for (provider, field) in expected {
            let (id, address) = sent[provider]!
            #expect(try s.received(to: address)[field]?.contains(String(id)) == true, "\(provider)")
        }

        // Forged, tampered and unsigned requests first: each refused, nothing moves.
        for (provider, channel) in channels {
            let (id, address) = sent[provider]!
            var spec = try Self.delivered(provider, try s.received(to: address), to: address)
            switch provider {
            case "ses": spec = Self.with(spec, "key", "other")  // signed by a key not in sns_certificate_file
            case "sendgrid": spec = Self.with(spec, "timestamp", "1")
            case "mailgun": spec = Self.with(spec, "signing_key", "key-not-ours")
            default: spec = Self.with(spec, "auth", "postmark:wrong")
            }
            var r: DaemonHarness.Response
            if provider == "sendgrid" {
                // A valid signature for timestamp 1, sent with another timestamp: not what was signed.
                let made = try TestSupport.run("python3", [Setup.peer, "request", s.keys], stdin: spec.serializedBytes)
                let req = try JSON.parse(made.stdout)
                var headers = req["headers"]?.objectValue ?? [:]
                headers["X-Twilio-Email-Event-Webhook-Timestamp"] = "2"
                r = try s.d.send([
                    "method": "POST", "path": "/v1/receipts/email/sg", "headers": .object(headers),
                    "body": req["body"] ?? "",
                ])
            } else {
                r = try s.post(channel, spec)
            }
            #expect(r.status == 403, "\(provider): \(r.status) \(r.body)")
            #expect(!r.error.isEmpty && r.error.hasSuffix("."), "\(provider): \(r.body)")
            // No credentials at all.
            let bare = try s.d.send([
                "method": "POST", "path": .string("/v1/receipts/email/\(channel)"),
                "headers": ["Content-Type": "application/json"], "body": "{}",
            ])
            #expect(bare.status == 401, "\(provider): \(bare.body)")
            #expect(try s.state(id) == "sent", "\(provider)")
        }
        #expect(
            try s.d.send([
                "method": "POST", "path": "/v1/receipts/email/pm", "headers": ["Content-Type": "application/json"],
                "body": "{}",
            ]).headers["www-authenticate"]?.hasPrefix("Basic") == true)

        // Then the signed events: every delivery is delivered.
        for (provider, channel) in channels {
            let (id, address) = sent[provider]!
            let r = try s.post(channel, try Self.delivered(provider, try s.received(to: address), to: address))
            #expect(r.status == 200, "\(provider): \(r.body)")
            #expect(r.json?["delivered"]?.intValue == 1, "\(provider): \(r.body)")
            #expect(try s.state(id) == "delivered", "\(provider)")
        }

        // A Mailgun request sent twice: the token is refused the second time.
        let mg = sent["mailgun"]!
        var replay = try Self.delivered("mailgun", try s.received(to: mg.address), to: mg.address)
        replay = Self.with(replay, "token", "a-token-used-once-a-token-used-once-a-token-used-o")
        #expect(try s.post("mg", replay).status == 200)
        let again = try s.post("mg", replay)
        #expect(again.status == 403 && again.error.contains("used before"), "\(again.body)")
        // An old Mailgun signature.
        let old = try s.post("mg", Self.with(replay, "token", "another-token", age: 3_600))
        #expect(old.status == 403 && old.error.contains("old"), "\(old.body)")

        // SNS asks to confirm the subscription: logged for the officer, never fetched.
        let confirm = try s.post(
            "ses",
            ["provider": "ses", "type": "SubscriptionConfirmation", "topic": .string(Self.topic), "message": "confirm"])
        #expect(confirm.status == 200, "\(confirm.body)")
        try TestSupport.waitFor("the SubscribeURL in the log") { s.d.log.contains("Action=ConfirmSubscription") }
        // Another topic's messages, validly signed, are refused.
        let foreign = try s.post(
            "ses",
            Self.with(
                try Self.delivered("ses", ["message-id": "<x@y>"], to: "a@example.org"), "topic",
                "arn:aws:sns:eu-west-1:999999999999:not-ours"))
        #expect(foreign.status == 403, "\(foreign.body)")
        // No secret in the log.
        #expect(!s.d.log.contains(Self.mailgunKey) && !s.d.log.contains(Self.postmarkAuth))
        #expect(s.d.stop().status == 0)
    }

    static func with(_ spec: JSON, _ key: String, _ value: String, age: Int? = nil) -> JSON {
        guard case .object(var o) = spec else { return spec }
        o[key] = .string(value)
        if let age { o["age"] = JSON(age) }
        return .object(o)
    }

    /// `check` refuses a provider without its secret, naming channel and key, and never prints a secret.
    @Test func checkNamesTheChannelAndTheMissingKey() throws {
        let path = try CheckCommandTests.write(
            """
            [channels.mail]
            type = "smtp"
            url = "smtp://127.0.0.1:2525"
            provider = "postmark"
            [channels.mg]
            type = "smtp"
            url = "smtp://127.0.0.1:2525"
            provider = "mailgun"
            signing_key_file = "mg.key"
            sns_topic_arn = "arn:aws:sns:eu-west-1:1:x"
            """)
        let dir = (path as NSString).deletingLastPathComponent
        try "key-do-not-print-me\n".write(toFile: dir + "/mg.key", atomically: true, encoding: .utf8)
        let r = try TestSupport.outreachd(["--config", path, "check"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("\(path): [channels.mail] needs a value for 'basic_auth_file'."), "\(r.stderr)")
        #expect(r.stderr.contains("\(path):12: 'sns_topic_arn' is not a setting of [channels.mg]"), "\(r.stderr)")
        #expect(!(r.stdout + r.stderr).contains("key-do-not-print-me"))
    }
}
