import Channels
import Foundation
import Outreach
import OutreachTestFixtures
import Testing

@Suite struct SMSChannelTests {
    static let danish = "Hej Søren, vi ses i aften på Åbo. Mvh æøå"
    static let arabic = "مرحبا، نراكم الليلة"

    @Test func twilio() throws {
        let dir = ChannelSections.secretDirectory(["twilio-token": "tok3n"])
        let recorder = try HTTPRecorder(
            responses: #"[{"status": 201, "body": "{\"sid\":\"SM0123\",\"status\":\"queued\"}"}]"#)
        let channel = try SMSChannel(
            name: "sms",
            section: ChannelSections.make(
                "sms",
                [
                    "type": "sms", "preset": "twilio", "url": .string(recorder.url), "account_sid": "AC42",
                    "auth_token_file": "twilio-token",
                    "from": "CFriends", "default_country": "DK",
                ], dir: dir), publicURL: "https://outreach.example.org/")
        #expect(
            channel.send([OutgoingMessage(deliveryID: 5, address: "21 43 66 77", text: Self.danish)]) == [
                .sent(providerID: "SM0123")
            ])
        let r = try #require(recorder.requests().first)
        #expect(r.method == "POST")
        #expect(r.path == "/2010-04-01/Accounts/AC42/Messages.json")
        #expect(r.header("Authorization") == "Basic " + Data("AC42:tok3n".utf8).base64EncodedString())
        #expect(r.header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(
            r.form == [
                "To": "+4521436677", "From": "CFriends", "Body": Self.danish,
                "StatusCallback": "https://outreach.example.org/v1/receipts/sms",
            ])
    }

    @Test func twilioInvalidNumberIsPermanentAndSuppresses() throws {
        let recorder = try HTTPRecorder(
            responses:
                #"[{"status": 400, "body": "{\"code\":21211,\"message\":\"The 'To' number +4500000000 is not a valid phone number.\",\"status\":400}"}]"#
        )
        let channel = try SMSChannel(
            name: "sms",
            section: ChannelSections.make(
                "sms",
                [
                    "type": "sms", "preset": "twilio", "url": .string(recorder.url), "account_sid": "AC42",
                    "auth_token": "t", "from": "+4512345678",
                ]),
            publicURL: nil)
        let outcome = channel.send([OutgoingMessage(deliveryID: 5, address: "+4500000000", text: "x")])
        #expect(
            outcome == [
                .permanent(
                    "twilio gateway sms answered HTTP 400: The 'To' number +4500000000 is not a valid phone number. (error 21211)",
                    suppress: true)
            ])
        #expect(recorder.requests().first?.form["StatusCallback"] == nil)
    }

    @Test func vonageJSONUsesUnicodeForArabic() throws {
        let recorder = try HTTPRecorder(
            responses:
                #"[{"status": 200, "body": "{\"message-count\":\"1\",\"messages\":[{\"to\":\"4521436677\",\"message-id\":\"0A00000012345678\",\"status\":\"0\"}]}"}]"#
        )
        let channel = try SMSChannel(
            name: "vsms",
            section: ChannelSections.make(
                "vsms",
                [
                    "type": "sms", "preset": "vonage", "url": .string(recorder.url + "/sms/json"), "api_key": "k",
                    "api_secret": "s", "from": "CFriends",
                ]),
            publicURL: "http://127.0.0.1:8025")
        #expect(
            channel.send([OutgoingMessage(deliveryID: 6, address: "+4521436677", text: Self.arabic)]) == [
                .sent(providerID: "0A00000012345678")
            ])
        let r = try #require(recorder.requests().first)
        #expect(r.path == "/sms/json")
        #expect(
            r.json == [
                "api_key": "k", "api_secret": "s", "from": "CFriends", "to": "4521436677", "text": .string(Self.arabic),
                "type": "unicode", "client-ref": "6", "callback": "http://127.0.0.1:8025/v1/receipts/vsms",
            ])
    }

    @Test func vonageFormAndRefusals() throws {
        let recorder = try HTTPRecorder(
            responses: #"""
                [{"status": 200, "body": "{\"messages\":[{\"status\":\"0\",\"message-id\":\"m1\"}]}"},
                 {"status": 200, "body": "{\"messages\":[{\"status\":\"1\",\"error-text\":\"Throughput Rate Exceeded\"}]}"},
                 {"status": 200, "body": "{\"messages\":[{\"status\":\"33\",\"error-text\":\"Number de-activated\"}]}"}]
                """#)
        let channel = try SMSChannel(
            name: "vsms",
            section: ChannelSections.make(
                "vsms",
                [
                    "type": "sms", "preset": "vonage", "url": .string(recorder.url), "api_key": "k", "api_secret": "s",
                    "from": "CFriends",
                    "content_type": "form",
                ]), publicURL: nil)
        let m = OutgoingMessage(deliveryID: 6, address: "+4521436677", text: Self.danish)
        #expect(channel.send([m]) == [.sent(providerID: "m1")])
        #expect(
            recorder.requests().first?.form == [
                "api_key": "k", "api_secret": "s", "from": "CFriends", "to": "4521436677",
                "text": Self.danish, "type": "text", "client-ref": "6",
            ])
        guard case .transient = channel.send([m])[0] else { Issue.record("throttling should be transient"); return }
        #expect(
            channel.send([m]) == [
                .permanent("vonage gateway vsms refused the message: status 33, Number de-activated", suppress: true)
            ])
    }

    @Test func kannelQuery() throws {
        let recorder = try HTTPRecorder(responses: #"[{"status": 202, "body": "0: Accepted for delivery"}]"#)
        let channel = try SMSChannel(
            name: "sms",
            section: ChannelSections.make(
                "sms",
                [
                    "type": "sms", "preset": "kannel", "url": .string(recorder.url + "/cgi-bin/sendsms"),
                    "username": "outreach",
                    "password": "secret", "from": "CFriends", "default_country": "DK",
                ]), publicURL: "https://o.example.org")
        let outcomes = channel.send([
            OutgoingMessage(deliveryID: 11, address: "21436677", text: Self.danish),
            OutgoingMessage(deliveryID: 12, address: "21436677", text: Self.arabic),
        ])
        #expect(outcomes == [.sent(providerID: nil), .sent(providerID: nil)])
        let seen = recorder.requests().sorted { $0.query["text"]! > $1.query["text"]! }
        #expect(seen.count == 2)
        for r in seen {
            #expect(r.method == "GET")
            #expect(r.path == "/cgi-bin/sendsms")
        }
        #expect(
            seen[0].query == [
                "username": "outreach", "password": "secret", "from": "CFriends", "to": "+4521436677",
                "text": Self.arabic,
                "charset": "UTF-8", "coding": "2", "dlr-mask": "31",
                "dlr-url": "https://o.example.org/v1/receipts/sms?id=12&status=%d",
            ])
        #expect(seen[1].query["coding"] == "0")
        #expect(seen[1].query["text"] == Self.danish)
    }

    /// With `receipt_token`, every callback URL handed out carries it; Kannel's gets the delivery after it.
    @Test func receiptTokenGoesIntoTheCallbackURLs() throws {
        let recorder = try HTTPRecorder(responses: #"[{"status": 202, "body": "0: Accepted for delivery"}]"#)
        let kannel = try SMSChannel(
            name: "sms",
            section: ChannelSections.make(
                "sms",
                [
                    "type": "sms", "preset": "kannel", "url": .string(recorder.url + "/cgi-bin/sendsms"),
                    "username": "outreach",
                    "password": "secret", "receipt_token": "T0k-en_.~9",
                ]), publicURL: "https://o.example.org/")
        #expect(
            kannel.send([OutgoingMessage(deliveryID: 11, address: "+4521436677", text: "Hej")]) == [
                .sent(providerID: nil)
            ])
        // Decoded once by Python (the recorder), once by Foundation: what Kannel will call.
        let dlr = try #require(recorder.requests().first?.query["dlr-url"])
        // Kannel puts the status in place of %d before it calls.
        let parts = try #require(URLComponents(string: dlr.replacingOccurrences(of: "%d", with: "16")))
        #expect(parts.host == "o.example.org")
        #expect(parts.path == "/v1/receipts/sms")
        #expect(
            parts.queryItems?.map { [$0.name, $0.value ?? ""] } == [
                ["token", "T0k-en_.~9"], ["id", "11"], ["status", "16"],
            ])

        let auth = try SMSReceiptAuth(
            name: "sms", section: ChannelSections.make("sms", ["preset": "kannel", "receipt_token": "T0k-en_.~9"]),
            publicURL: "https://o.example.org")
        #expect(auth.callbackURL == dlr.components(separatedBy: "&id=")[0])
        #expect(
            auth.refusal(method: "GET", query: ["token": "T0k-en_.~9", "id": "11"], form: [:], signature: nil) == nil)
        #expect(
            auth.refusal(method: "GET", query: ["token": "T0k-en_.~", "id": "11"], form: [:], signature: nil)?
                .hasPrefix("token:") == true)
        #expect(
            auth.refusal(method: "GET", query: ["id": "11"], form: [:], signature: nil)?.hasPrefix("token:") == true)
        // A token that would need escaping is refused when the channel is read.
        #expect(throws: ConfigError.self) {
            _ = try SMSReceiptAuth(
                name: "sms", section: ChannelSections.make("sms", ["preset": "kannel", "receipt_token": "a b&c"]),
                publicURL: nil)
        }
    }

    @Test func genericJSONWithSegments() throws {
        let recorder = try HTTPRecorder(responses: #"[{"status": 200, "body": "{\"id\": 991}"}]"#)
        let channel = try SMSChannel(
            name: "gw",
            section: ChannelSections.make(
                "gw",
                [
                    "type": "sms", "preset": "generic", "url": .string(recorder.url + "/send"),
                    "headers": .strings(["Authorization: Bearer abc"]),
                ]),
            publicURL: nil)
        let text = String(repeating: "a", count: 161)
        #expect(
            channel.send([OutgoingMessage(deliveryID: 3, address: "+46701234567", text: text)]) == [
                .sent(providerID: "991")
            ])
        let r = try #require(recorder.requests().first)
        #expect(r.header("Authorization") == "Bearer abc")
        #expect(r.header("webhook-id") == "3")
        #expect(r.json == ["to": "+46701234567", "text": .string(text), "encoding": "GSM-7", "segments": 2, "id": "3"])
    }

    @Test func invalidNumbersAndLongTextsNeverReachTheGateway() throws {
        let recorder = try HTTPRecorder()
        let channel = try SMSChannel(
            name: "gw",
            section: ChannelSections.make(
                "gw",
                [
                    "type": "sms", "preset": "generic", "url": .string(recorder.url), "default_country": "DK",
                    "max_segments": 1,
                ]), publicURL: nil)
        let outcomes = channel.send([
            OutgoingMessage(deliveryID: 1, address: "2143 66", text: "x"),
            OutgoingMessage(deliveryID: 2, address: "call me", text: "x"),
            OutgoingMessage(deliveryID: 3, address: "21436677", text: String(repeating: "ب", count: 71)),
            OutgoingMessage(deliveryID: 4, address: "21436677", text: "ok"),
        ])
        #expect(
            outcomes[0]
                == .permanent(PhoneNumberError.tooShort("2143 66", minimumDigits: 8).description, suppress: true))
        #expect(outcomes[1] == .permanent(PhoneNumberError.letters("call me").description, suppress: true))
        guard case .permanent(let why, false) = outcomes[2] else { Issue.record("\(outcomes[2])"); return }
        #expect(why.contains("max_segments = 1"))
        #expect(outcomes[3] == .sent(providerID: nil))
        #expect(recorder.requests().map { $0.json?["id"] } == [.string("4")])
        #expect(throws: SMSTextError.self) { try channel.check(String(repeating: "a", count: 161)) }
    }

    @Test func tooManyRequestsThenSent() throws {
        let recorder = try HTTPRecorder(
            responses:
                #"[{"status": 429, "headers": {"Retry-After": "2"}}, {"status": 429, "headers": {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}}, {"status": 202, "body": "0: Accepted for delivery"}]"#
        )
        let channel = try SMSChannel(
            name: "sms",
            section: ChannelSections.make(
                "sms",
                [
                    "type": "sms", "preset": "kannel", "url": .string(recorder.url + "/cgi-bin/sendsms"),
                    "username": "u", "password": "p",
                ]),
            publicURL: nil)
        let m = OutgoingMessage(deliveryID: 1, address: "+4521436677", text: "x")
        #expect(channel.send([m]) == [.transient("kannel gateway sms answered HTTP 429", retryAfter: 2)])
        // A Retry-After date in the past means now.
        #expect(channel.send([m]) == [.transient("kannel gateway sms answered HTTP 429", retryAfter: 0)])
        #expect(channel.send([m]) == [.sent(providerID: nil)])
        #expect(recorder.requests().first?.query["dlr-url"] == nil)  // no public URL, no DLR
    }

}
