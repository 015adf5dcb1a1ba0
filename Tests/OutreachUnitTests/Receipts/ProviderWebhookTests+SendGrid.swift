import Foundation
import Outreach
import OutreachTestFixtures
import Testing

/// SendGrid's Signed Event Webhook: ECDSA P-256 over the timestamp header and the raw body,
/// signed with the fixture key; the public key configured as SendGrid shows it (base64 DER).
@Suite struct SendGridWebhookTests {
    static func harness(file: Bool = false) throws -> ProviderHarness {
        let key = ProviderSigning.file("sendgrid-public.b64")
        if file {
            return try ProviderHarness(
                ["provider": "sendgrid", "sendgrid_public_key_file": "sg.key"], files: ["sg.key": key])
        }
        return try ProviderHarness(["provider": "sendgrid", "sendgrid_public_key": .string(key)])
    }

    static func batch(_ delivery: Int64) -> [UInt8] {
        let events: JSON = [
            [
                "email": "ana@example.org", "event": "bounce", "type": "bounce", "status": "5.1.1",
                "reason": "550 5.1.1 The email account that you tried to reach does not exist.",
                "sg_event_id": "e1", "outreach_delivery": .string(String(delivery)),
            ],
            ["email": "bo@example.org", "event": "bounce", "type": "blocked", "status": "5.7.1", "reason": "blocked"],
            ["email": "cy@example.org", "event": "dropped", "reason": "Bounced Address", "status": "5.0.0"],
            ["email": "dy@example.org", "event": "dropped", "reason": "Unsubscribed Address"],
            ["email": "ed@example.org", "event": "spamreport", "sg_event_id": "e5"],
            ["email": "fi@example.org", "event": "deferred", "response": "400 try again later", "attempt": "1"],
            [
                "email": "ana@example.org", "event": "delivered", "response": "250 OK",
                "smtp-id": .string("<outreach.\(delivery).3.abc@example.org>"),
            ],
            ["email": "ana@example.org", "event": "open"],
        ]
        return events.serializedBytes
    }

    @Test(arguments: [false, true])
    func signedBatchIsApplied(keyInFile: Bool) throws {
        let h = try Self.harness(file: keyInFile)
        let id = try h.sent(to: "ana@example.org")
        let body = Self.batch(id)
        let outcome = try h.post(body, headers: ProviderSigning.sendGridHeaders(body))
        #expect(
            h.sink.results.map(\.recipient) == [
                "ana@example.org", "bo@example.org", "cy@example.org", "ed@example.org", "fi@example.org",
            ])
        #expect(h.sink.results.map(\.kind) == [.hard, .soft, .hard, .complaint, .delayed])
        #expect(h.sink.results[0].delivery == id && h.sink.results[0].status == "5.1.1")
        #expect(h.sink.results[4].status == nil && h.sink.results[4].diagnostic == "400 try again later")
        #expect(h.sink.applied.map(\.source).first == "sendgrid webhook on mail, event e1")
        #expect(outcome.delivered == 1 && outcome.ignored == 2)
        #expect(h.state(id) == .delivered)
    }

    @Test func unsignedTamperedAndMisdatedBatchesAreRefused() throws {
        let h = try Self.harness()
        let id = try h.sent(to: "ana@example.org")
        let body = Self.batch(id)
        let headers = ProviderSigning.sendGridHeaders(body, timestamp: "1700000000")
        #expect(h.refusal(body)?.status == 401)
        #expect(h.refusal(body, headers: headers.filter { $0.key.hasSuffix("timestamp") })?.status == 401)
        // One byte of the body changed.
        var tampered = body
        tampered[tampered.firstIndex(of: UInt8(ascii: "5"))!] = UInt8(ascii: "4")
        #expect(h.refusal(tampered, headers: headers)?.status == 403)
        // The signed timestamp changed.
        var moved = headers
        moved["x-twilio-email-event-webhook-timestamp"] = "1700000001"
        #expect(h.refusal(body, headers: moved)?.status == 403)
        var garbled = headers
        garbled["x-twilio-email-event-webhook-signature"] = "not base64!"
        #expect(h.refusal(body, headers: garbled)?.status == 403)
        // Another key's signature (the SNS fixture's) does not verify.
        var other = headers
        other["x-twilio-email-event-webhook-signature"] = Data(
            ProviderSigning.sign(Array("1700000000".utf8) + body, keyPEM: ProviderSigning.file("other-key.pem"))
        ).base64EncodedString()
        #expect(h.refusal(body, headers: other)?.status == 403)
        // Signed, but not a batch.
        let object = Array("{\"event\":\"bounce\"}".utf8)
        #expect(h.refusal(object, headers: ProviderSigning.sendGridHeaders(object))?.status == 400)
        #expect(h.sink.applied.isEmpty && h.state(id) == .sent)
    }
}
