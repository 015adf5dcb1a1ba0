import Foundation
import Outreach
import OutreachTestFixtures
import Testing

/// Mailgun: hex HMAC-SHA256 of timestamp and token with the webhook signing key, inside the body;
/// old timestamps and reused tokens refused.
@Suite struct MailgunWebhookTests {
    static let key = "key-3ax6xnjp29jd6fds4gc373sgvjxteol0"

    static func harness() throws -> ProviderHarness {
        try ProviderHarness(["provider": "mailgun", "signing_key_file": "mg.key"], files: ["mg.key": key])
    }

    static func body(
        _ event: JSON, token: String = UUID().uuidString, timestamp: Int = Int(Date().timeIntervalSince1970)
    ) -> [UInt8] {
        JSON.object([
            "signature": ProviderSigning.mailgunSignature(key: key, timestamp: timestamp, token: token),
            "event-data": event,
        ]).serializedBytes
    }

    static func failed(
        _ severity: String, reason: String = "bounce", delivery: Int64? = nil,
        message: String = "5.1.1 The email account that you tried to reach does not exist"
    ) -> JSON {
        var e: [String: JSON] = [
            "event": "failed", "id": .string("ev-\(severity)"), "severity": .string(severity),
            "reason": .string(reason),
            "recipient": "ana@example.org",
            "delivery-status": [
                "code": 550, "message": .string(message),
                "description": "",
            ],
            "message": ["headers": ["message-id": .string("outreach.\(delivery ?? 0).1.abc@example.org")]],
        ]
        if let delivery { e["user-variables"] = ["outreach_delivery": .string(String(delivery))] }
        return .object(e)
    }

    @Test func signedEventsAreApplied() throws {
        let h = try Self.harness()
        let id = try h.sent(to: "ana@example.org")
        try h.post(Self.body(Self.failed("permanent", delivery: id)))
        try h.post(Self.body(Self.failed("temporary")))
        // Mailgun gave up after retrying a temporary failure: the address may work tomorrow.
        try h.post(Self.body(Self.failed("permanent", reason: "old", message: "4.2.2 The mailbox is full")))
        try h.post(Self.body(["event": "complained", "recipient": "bo@example.org"]))
        #expect(try h.post(Self.body(["event": "opened", "recipient": "bo@example.org"])).ignored == 1)
        #expect(h.sink.results.map(\.kind) == [.hard, .delayed, .soft, .complaint])
        #expect(
            h.sink.results[0]
                == BounceResult(
                    recipient: "ana@example.org", kind: .hard, status: "5.1.1",
                    diagnostic: "550 5.1.1 The email account that you tried to reach does not exist", delivery: id))
        #expect(h.sink.applied[0].source == "mailgun webhook on mail, event ev-permanent")
        // Our Message-ID, when no user variable was set.
        let delivered: JSON = [
            "event": "delivered", "recipient": "ana@example.org",
            "delivery-status": ["code": 250, "message": "OK"],
            "message": ["headers": ["message-id": .string("outreach.\(id).1.abc@example.org")]],
        ]
        #expect(try h.post(Self.body(delivered)).delivered == 1)
        #expect(h.state(id) == .delivered)
    }

    @Test func badOldAndReplayedSignaturesAreRefused() throws {
        let h = try Self.harness()
        let event = Self.failed("permanent")
        #expect(h.refusal(JSON.object(["event-data": event]).serializedBytes)?.status == 401)
        // Signed with another key.
        var wrong = JSON.object([
            "signature": ProviderSigning.mailgunSignature(key: "key-other", token: "t1"), "event-data": event,
        ])
        #expect(h.refusal(wrong.serializedBytes)?.status == 403)
        // A valid signature whose timestamp was moved.
        guard case .object(var sig) = ProviderSigning.mailgunSignature(key: Self.key, token: "t2") else { return }
        sig["timestamp"] = .string(String(Int(Date().timeIntervalSince1970) + 1))
        wrong = ["signature": .object(sig), "event-data": event]
        #expect(h.refusal(wrong.serializedBytes)?.status == 403)
        // Signed 20 minutes ago, or 20 minutes ahead: outside the 15-minute window.
        let now = Int(Date().timeIntervalSince1970)
        #expect(h.refusal(Self.body(event, timestamp: now - 1_200))?.description.contains("old") == true)
        #expect(h.refusal(Self.body(event, timestamp: now + 1_200))?.description.contains("ahead") == true)
        #expect(h.refusal(Self.body(event, timestamp: 99_999_999_999_999))?.status == 403)
        // A token used once is not accepted again, whatever the event.
        try h.post(Self.body(event, token: "once"))
        #expect(h.sink.applied.count == 1)
        #expect(h.refusal(Self.body(event, token: "once"))?.description.contains("used before") == true)
        #expect(h.refusal(Self.body(Self.failed("temporary"), token: "once"))?.status == 403)
        #expect(h.sink.applied.count == 1)
        // Signed, without an event.
        let empty = JSON.object(["signature": ProviderSigning.mailgunSignature(key: Self.key, token: "t3")])
        #expect(h.refusal(empty.serializedBytes)?.status == 400)
    }
}
