import Channels
import Outreach
import OutreachTestFixtures
import Testing

/// SMS channel settings and Twilio's signature, in process; `SMSChannelTests+EndToEnd` talks to gateways.
@Suite struct SMSChannelTests {
    @Test func configErrors() {
        func message(_ values: [String: ConfigValue]) -> String {
            do {
                _ = try SMSChannel(name: "s", section: ChannelSections.make("s", values), publicURL: nil)
                return "accepted"
            } catch { return error.description }
        }
        #expect(message(["preset": "nokia", "url": "http://x"]).contains("preset"))
        #expect(
            message(["preset": "kannel", "url": "http://x", "username": "u", "password": "p", "default_country": "ZZ"])
                .contains("default_country"))
        #expect(
            message([
                "preset": "kannel", "url": "http://x", "username": "u", "password": "p", "from": "ConnectingFriends",
            ]).contains("11"))
        #expect(message(["preset": "twilio", "account_sid": "AC1", "auth_token": "t"]).contains("from"))
        #expect(message(["preset": "kannel", "url": "http://x", "username": "u"]).contains("password_file"))
    }

    /// The example from Twilio's security documentation, and the signature check built on it.
    @Test func twilioSignatureMatchesTwilioDocumentation() throws {
        let params = [
            "CallSid": "CA1234567890ABCDE", "Caller": "+12349013030", "Digits": "1234", "From": "+12349013030",
            "To": "+18005551212",
        ]
        #expect(
            Receipts.twilioSignature(
                url: "https://mycompany.com/myapp.php?foo=1&bar=2", fields: params, authToken: "12345")
                == "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
        let section = ChannelSections.make("t", ["preset": "twilio", "auth_token": "12345"])
        let auth = try SMSReceiptAuth(name: "t", section: section, publicURL: "https://o.example.org")
        let good = Receipts.twilioSignature(
            url: "https://o.example.org/v1/receipts/t", fields: params, authToken: "12345")
        #expect(auth.refusal(method: "POST", query: [:], form: params, signature: good) == nil)
        #expect(
            auth.refusal(method: "POST", query: [:], form: params.merging(["Digits": "1235"]) { $1 }, signature: good)
                != nil)
        #expect(auth.refusal(method: "POST", query: [:], form: params, signature: nil) != nil)
        // Off when asked, and when there is no auth token to check with (an outbox standing in for Twilio).
        let off = try SMSReceiptAuth(
            name: "t",
            section: ChannelSections.make(
                "t", ["preset": "twilio", "auth_token": "12345", "verify_signature": .bool(false)]),
            publicURL: "https://o.example.org")
        #expect(off.refusal(method: "POST", query: [:], form: params, signature: nil) == nil)
        let none = try SMSReceiptAuth(
            name: "t", section: ChannelSections.make("t", ["preset": "twilio"]), publicURL: nil)
        #expect(none.refusal(method: "POST", query: [:], form: params, signature: nil) == nil)
    }
}
