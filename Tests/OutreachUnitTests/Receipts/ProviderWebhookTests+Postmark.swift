import Foundation
import Outreach
import OutreachTestFixtures
import Testing

/// Postmark: HTTP basic auth with the user:password of basic_auth_file; bounce types mapped.
@Suite struct PostmarkWebhookTests {
    static func harness() throws -> ProviderHarness {
        try ProviderHarness(
            ["provider": "postmark", "basic_auth_file": "pm.auth"], files: ["pm.auth": "postmark:s3cret-pass"])
    }

    static let auth = ["authorization": ProviderSigning.basicAuth("postmark:s3cret-pass")]

    static func bounce(_ type: String, email: String = "ana@example.org", delivery: Int64? = nil) -> [UInt8] {
        var r: [String: JSON] = [
            "RecordType": "Bounce", "ID": 4323372036854775807, "Type": .string(type), "Email": .string(email),
            "Details": "smtp;550 5.1.1 The email account that you tried to reach does not exist.",
            "Description": "The server was unable to deliver your message (ex: unknown user, mailbox not found).",
            "MessageID": "883953f4-6105-42a2-a16a-77a8eac79483",
        ]
        if let delivery { r["Metadata"] = ["outreach_delivery": .string(String(delivery))] }
        return JSON.object(r).serializedBytes
    }

    @Test func recordsAreApplied() throws {
        let h = try Self.harness()
        let id = try h.sent(to: "ana@example.org")
        try h.post(Self.bounce("HardBounce", delivery: id), headers: Self.auth)
        for type in ["SoftBounce", "Transient", "SpamComplaint", "AutoResponder", "Unknown"] {
            try h.post(Self.bounce(type), headers: Self.auth)
        }
        #expect(try h.post(Self.bounce("Subscribe"), headers: Self.auth).ignored == 1)
        // The status code in the details decides a failure's kind (5.1.1: hard), as for a DSN;
        // a delay, a complaint or an auto-reply stays what Postmark called it.
        #expect(h.sink.results.map(\.kind) == [.hard, .hard, .delayed, .complaint, .autoReply, .hard])
        #expect(h.sink.results[0].delivery == id && h.sink.results[0].status == "5.1.1")
        #expect(h.sink.applied[0].source == "postmark webhook on mail, event 4323372036854775807")
        let complaint: JSON = ["RecordType": "SpamComplaint", "Email": "bo@example.org", "Type": "SpamComplaint"]
        try h.post(complaint.serializedBytes, headers: Self.auth)
        #expect(h.sink.results.last?.kind == .complaint)
        let delivery: JSON = [
            "RecordType": "Delivery", "Recipient": "ana@example.org", "Details": "Test delivery webhook details",
            "Metadata": ["outreach_delivery": .string(String(id))],
        ]
        #expect(try h.post(delivery.serializedBytes, headers: Self.auth).delivered == 1)
        #expect(h.state(id) == .delivered)
    }

    @Test func missingOrWrongCredentialsAreRefused() throws {
        let h = try Self.harness()
        let body = Self.bounce("HardBounce")
        #expect(h.refusal(body)?.status == 401)
        #expect(h.refusal(body, headers: ["authorization": "Bearer postmark:s3cret-pass"])?.status == 401)
        #expect(h.refusal(body, headers: ["authorization": ProviderSigning.basicAuth("postmark:wrong")])?.status == 403)
        #expect(
            h.refusal(body, headers: ["authorization": ProviderSigning.basicAuth("postmark:s3cret-pas")])?.status == 403
        )
        #expect(h.refusal(body, headers: ["authorization": "Basic !!!"])?.status == 403)
        #expect(h.refusal(Array("[]".utf8), headers: Self.auth)?.status == 400)
        #expect(h.sink.applied.isEmpty)
    }
}
