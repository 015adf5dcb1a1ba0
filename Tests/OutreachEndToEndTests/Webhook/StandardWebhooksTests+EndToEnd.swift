import Foundation
import Outreach
import Testing

/// Our verifier against the `standardwebhooks` Python package.
@Suite struct StandardWebhooksTests {
    /// A signature made by Python's standardwebhooks package verifies here, and tampering fails.
    @Test func verifiesWhatThePythonPackageSigns() throws {
        let secret = "whsec_" + Data(Crypto.randomBytes(32)).base64EncodedString()
        let now = Int(Date().timeIntervalSince1970)
        let body = #"{"template":"welcome","to":[{"email":"a@x.org"}],"note":"æ🎉"}"#
        let script = """
            import sys, datetime, standardwebhooks
            secret, ts, body = sys.argv[1], int(sys.argv[2]), sys.stdin.read()
            wh = standardwebhooks.Webhook(secret)
            print(wh.sign("msg_2Lz", datetime.datetime.fromtimestamp(ts, tz=datetime.timezone.utc), body))
            """
        let r = try TestSupport.python(script, [secret, String(now)], stdin: Array(body.utf8))
        let signature = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(r.status == 0, "\(r.stderr)")
        let hooks = try StandardWebhooks(secret: secret)
        #expect(hooks.signature(id: "msg_2Lz", timestamp: now, body: Array(body.utf8)) == signature)
        let headers = [
            "Webhook-Id": "msg_2Lz", "Webhook-Timestamp": String(now), "Webhook-Signature": "v1,bm9wZQ== " + signature,
        ]
        #expect(try hooks.verify(headers: headers, body: Array(body.utf8)) == "msg_2Lz")
        #expect(throws: StandardWebhooksError.signatureMismatch) {
            try hooks.verify(headers: headers, body: Array((body + " ").utf8))
        }
        #expect(throws: StandardWebhooksError.timestampTooOld(seconds: 301)) {
            try hooks.verify(
                headers: headers, body: Array(body.utf8), now: Date(timeIntervalSince1970: Double(now + 301)))
        }
        #expect(throws: StandardWebhooksError.timestampInFuture(seconds: 301)) {
            try hooks.verify(
                headers: headers, body: Array(body.utf8), now: Date(timeIntervalSince1970: Double(now - 301)))
        }
        #expect(throws: StandardWebhooksError.missingHeader("webhook-signature")) {
            try hooks.verify(headers: ["webhook-id": "a", "webhook-timestamp": "1"], body: [])
        }
        #expect(throws: StandardWebhooksError.invalidSecret) { try StandardWebhooks(secret: "whsec_!!!") }
    }
}
