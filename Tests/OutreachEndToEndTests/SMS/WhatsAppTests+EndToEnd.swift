import Foundation
import Outreach
import OutreachTestFixtures
import Testing

/// The `whatsapp` preset through a real `outreachd serve`, with an HTTP recorder standing in for
/// the Graph API: the request as WhatsApp's Cloud API documents it, the subscription handshake,
/// and status webhooks signed by Python's `hmac` (as Meta signs them), refused when unsigned or
/// badly signed.
@Suite struct WhatsAppEndToEndTests {
    static let appSecret = "app-" + UUID().uuidString
    static let graphAnswer =
        #"{"messaging_product":"whatsapp","contacts":[{"input":"4520123456","wa_id":"4520123456"}],"#
        + #""messages":[{"id":"wamid.HBgLNDUyMDEyMzQ1NhUCABEYEjE"}]}"#

    final class Setup {
        let graph: HTTPRecorder
        let d: DaemonHarness

        init() throws {
            let answer = JSON.array([["status": 200, "body": .string(WhatsAppEndToEndTests.graphAnswer)]])
            graph = try HTTPRecorder(responses: answer.serialized)
            let secrets = ChannelSections.secretDirectory([
                "wa-token": "EAAG-e2e-token", "wa-app-secret": WhatsAppEndToEndTests.appSecret,
                "wa-verify": "verify-e2e",
            ])
            let templates = try TemplateTestSupport.folder([
                "reminder/sms.da.txt":
                    "---\nwhatsapp_template: event_reminder\nwhatsapp_params: [when, place]\n---\n"
                    + "Husk: {{when}}, {{place}}",
                "reminder/sms.en.txt":
                    "---\nwhatsapp_template: event_reminder\nwhatsapp_language: en_US\n"
                    + "whatsapp_params: [when, place]\n---\nRemember: {{when}}, {{place}}",
            ])
            d = try DaemonHarness(
                channels: """
                    [channels.wa]
                    type = "sms"
                    preset = "whatsapp"
                    url = "\(graph.url)/v22.0"
                    phone_number_id = "106540352242922"
                    token_file = "\(secrets)/wa-token"
                    app_secret_file = "\(secrets)/wa-app-secret"
                    verify_token_file = "\(secrets)/wa-verify"
                    default_country = "DK"
                    """,
                templates: templates)
            try d.start()
        }

        func state(_ delivery: Int64) throws -> (state: String?, provider: String?) {
            let r = try d.cli(["queue", "list", "--json"])
            for row in (try JSON.parse(r.stdout)).arrayValue ?? [] where row["id"]?.intValue == Int(delivery) {
                return (row["state"]?.stringValue, row["provider_id"]?.stringValue)
            }
            return (nil, nil)
        }

        /// A status webhook for `wamid`, as Meta posts it, with the signature Python's hmac makes.
        func statusWebhook(
            _ wamid: String, status: String, errors: String = "", secret: String? = WhatsAppEndToEndTests.appSecret
        ) throws -> JSON {
            let body =
                #"{"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":"#
                + #"{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","#
                + #""phone_number_id":"106540352242922"},"statuses":[{"id":""# + wamid + #"","status":""# + status
                + #"","timestamp":"1750263773","recipient_id":"4520123456""# + errors + #"}]},"field":"messages"}]}]}"#
            var headers: [String: JSON] = ["Content-Type": "application/json"]
            if let secret {
                let r = try TestSupport.python(
                    "import sys, hmac, hashlib; print('sha256=' + hmac.new(sys.argv[1].encode(), "
                        + "sys.stdin.buffer.read(), hashlib.sha256).hexdigest())", [secret], stdin: Array(body.utf8))
                headers["X-Hub-Signature-256"] = .string(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            return ["method": "POST", "path": "/v1/receipts/wa", "headers": .object(headers), "body": .string(body)]
        }
    }

    @Test func aSendPostsTheApprovedTemplateAndASignedStatusMovesItToDelivered() throws {
        let s = try Setup()
        let r = try s.d.send(
            s.d.trigger(
                #"{"template":"reminder","to":[{"phone":"+45 20 12 34 56","locale":"da"}],"channels":["wa"],"#
                    + #""data":{"when":"fredag 5. marts kl. 18","place":"Nørrebro Bibliotek"}}"#))
        #expect(r.status == 202, "\(r.body)")
        let id = try #require(r.json?["deliveries"]?.arrayValue?.first?["id"]?.intValue).int64
        try TestSupport.waitFor("the Graph API request") { !s.graph.requests().isEmpty }
        let req = try #require(s.graph.requests().first)
        #expect(req.method == "POST" && req.path == "/v22.0/106540352242922/messages")
        #expect(req.header("Authorization") == "Bearer EAAG-e2e-token")
        #expect(req.header("Content-Type") == "application/json")
        // Parsed by Python's json in the recorder.
        let expected: JSON = [
            "messaging_product": "whatsapp", "recipient_type": "individual", "to": "4520123456", "type": "template",
            "template": [
                "name": "event_reminder", "language": ["code": "da"],
                "components": [
                    [
                        "type": "body",
                        "parameters": [
                            ["type": "text", "text": "fredag 5. marts kl. 18"],
                            ["type": "text", "text": "Nørrebro Bibliotek"],
                        ],
                    ]
                ],
            ],
        ]
        #expect(req.json == expected)
        try TestSupport.waitFor("the delivery sent") { try s.state(id).state == "sent" }
        #expect(try s.state(id).provider == "wamid.HBgLNDUyMDEyMzQ1NhUCABEYEjE")

        // Unsigned, signed with another secret, and a signed body altered on the way: refused, nothing changes.
        let wamid = "wamid.HBgLNDUyMDEyMzQ1NhUCABEYEjE"
        let unsigned = try s.d.send(try s.statusWebhook(wamid, status: "delivered", secret: nil))
        #expect(unsigned.status == 401 && unsigned.error.contains("X-Hub-Signature-256"))
        let forged = try s.d.send(try s.statusWebhook(wamid, status: "delivered", secret: "guess"))
        #expect(forged.status == 401 && forged.error.contains("app_secret_file"))
        var altered = try s.statusWebhook(wamid, status: "sent").objectValue!
        altered["body"] = .string(
            altered["body"]!.stringValue!.replacingOccurrences(of: "\"sent\"", with: "\"delivered\""))
        #expect(try s.d.send(.object(altered)).status == 401)
        #expect(try s.state(id).state == "sent")

        let signed = try s.d.send(try s.statusWebhook(wamid, status: "delivered"))
        #expect(signed.status == 200, "\(signed.body)")
        #expect(signed.json?["matched"]?.intValue == 1)
        #expect(try s.state(id).state == "delivered")
        // "read" after "delivered" keeps it delivered.
        #expect(try s.d.send(try s.statusWebhook(wamid, status: "read")).status == 200)
        #expect(try s.state(id).state == "delivered")
        #expect(!s.d.log.contains("EAAG-e2e-token") && !s.d.log.contains(WhatsAppEndToEndTests.appSecret))
    }

    /// Error 131026 (not a WhatsApp number) fails the delivery and suppresses the number, as an
    /// SMS hard failure does.
    @Test func aFailedStatusForAnUndeliverableNumberSuppressesIt() throws {
        let s = try Setup()
        let r = try s.d.send(
            s.d.trigger(
                #"{"template":"reminder","to":[{"phone":"+4520123456","locale":"en"}],"channels":["wa"],"#
                    + #""data":{"when":"Friday 18:00","place":"Library"}}"#))
        let id = try #require(r.json?["deliveries"]?.arrayValue?.first?["id"]?.intValue).int64
        try TestSupport.waitFor("the delivery sent") { try s.state(id).state == "sent" }
        let language = s.graph.requests().first?.json?["template"]?["language"]?["code"]?.stringValue
        #expect(language == "en_US")
        let failed = try s.d.send(
            try s.statusWebhook(
                "wamid.HBgLNDUyMDEyMzQ1NhUCABEYEjE", status: "failed",
                errors: #","errors":[{"code":131026,"title":"Message undeliverable"}]"#))
        #expect(failed.status == 200, "\(failed.body)")
        #expect(try s.state(id).state == "bounced")
        let shown = try s.d.cli(["suppressions", "show", "+4520123456", "--json"])
        #expect(shown.status == 0 && shown.stdout.contains("131026"), "\(shown.stdout)\(shown.stderr)")
    }

    @Test func theSubscriptionHandshakeAnswersTheChallengeOnlyForTheVerifyToken() throws {
        let s = try Setup()
        let good = try s.d.send([
            "method": "GET",
            "path": "/v1/receipts/wa?hub.mode=subscribe&hub.verify_token=verify-e2e&hub.challenge=1158201444",
        ])
        #expect(good.status == 200 && good.body == "1158201444")
        let bad = try s.d.send([
            "method": "GET", "path": "/v1/receipts/wa?hub.mode=subscribe&hub.verify_token=nope&hub.challenge=1",
        ])
        #expect(bad.status == 403 && !bad.body.contains("1158201444"))
    }
}

extension Int {
    fileprivate var int64: Int64 { Int64(self) }
}
