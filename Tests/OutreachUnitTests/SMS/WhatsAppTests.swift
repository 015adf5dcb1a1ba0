import Foundation
import Outreach
import OutreachTestFixtures
import Testing

@testable import Channels

/// The `whatsapp` preset in process: the Cloud API request per locale (approved template or free
/// text), the webhook signature and handshake, and what each status means.
@Suite struct WhatsAppTests {
    let values: [String: ConfigValue] = [
        "preset": "whatsapp", "phone_number_id": "106540352242922", "token": "EAAG-token",
        "app_secret": "app-secret-1", "verify_token": "verify-me", "default_country": "DK",
    ]

    func channel(_ extra: [String: ConfigValue] = [:]) throws -> SMSChannel {
        try SMSChannel(
            name: "wa", section: ChannelSections.make("wa", values.merging(extra) { $1 }),
            publicURL: "https://o.example.org")
    }

    static let library: [String: String] = [
        "reminder/sms.da.txt":
            "---\nwhatsapp_template: event_reminder\nwhatsapp_params: [event.when, event.location]\n---\n"
            + "Husk {{event.title}}, {{event.when}}",
        "reminder/sms.en.txt":
            "---\nwhatsapp_template: event_reminder\nwhatsapp_language: en_US\n"
            + "whatsapp_params: [\"event.when\", event.location]\n---\nRemember {{event.title}}",
        "reminder/sms.pt-BR.txt": "---\nwhatsapp_template: lembrete\n---\nLembrete",
        "hello/sms.en.txt": "Hello {{contact.first_name}}",
    ]

    static let context: JSON = [
        "event": ["title": "Dinner", "when": "Friday 5 March,\n18:00", "location": "Nørrebro    Hall"],
        "contact": ["first_name": "Ana"],
    ]

    /// The request's JSON body, parsed by Foundation's parser, and its headers.
    func sent(_ template: String, locale: String, context: JSON = WhatsAppTests.context) throws -> (
        url: String, body: [String: Any], headers: [String: String]
    ) {
        let lib = try TemplateTestSupport.library(Self.library)
        let r = try lib.render(template, kind: .sms, locale: locale, context: context)
        var m = OutgoingMessage(deliveryID: 7, address: "+4520123456", text: r.text)
        m.approvedTemplate = r.approvedTemplate
        let req = try channel().whatsAppRequest(for: m, number: "+4520123456", timestamp: 1)
        let body = try JSONSerialization.jsonObject(with: Data(req.body)) as? [String: Any] ?? [:]
        var headers: [String: String] = [:]
        for h in req.headers { headers[h.name] = h.value }
        #expect(req.method == "POST")
        return (req.url, body, headers)
    }

    @Test func anApprovedTemplateIsSentWithItsLanguageAndBodyParametersPerLocale() throws {
        let da = try sent("reminder", locale: "da")
        #expect(da.url == "https://graph.facebook.com/v22.0/106540352242922/messages")
        #expect(da.headers["Authorization"] == "Bearer EAAG-token")
        #expect(da.headers["Content-Type"] == "application/json")
        #expect(da.body["messaging_product"] as? String == "whatsapp")
        #expect(da.body["to"] as? String == "4520123456")
        #expect(da.body["type"] as? String == "template")
        let template = try #require(da.body["template"] as? [String: Any])
        #expect(template["name"] as? String == "event_reminder")
        #expect((template["language"] as? [String: Any])?["code"] as? String == "da")
        let components = try #require(template["components"] as? [[String: Any]])
        #expect(components.count == 1 && components[0]["type"] as? String == "body")
        let parameters = try #require(components[0]["parameters"] as? [[String: Any]])
        // New lines and long runs of spaces are what WhatsApp refuses in a parameter (error 132018).
        #expect(parameters.map { $0["text"] as? String } == ["Friday 5 March, 18:00", "Nørrebro Hall"])
        #expect(parameters.allSatisfy { $0["type"] as? String == "text" })
        #expect(da.body["text"] == nil)

        let en = try sent("reminder", locale: "en")
        let enTemplate = try #require(en.body["template"] as? [String: Any])
        #expect((enTemplate["language"] as? [String: Any])?["code"] as? String == "en_US")
        // Without parameters there are no components; the language defaults to the locale, pt-BR → pt_BR.
        let pt = try #require(try sent("reminder", locale: "pt-BR").body["template"] as? [String: Any])
        #expect(pt["name"] as? String == "lembrete" && pt["components"] == nil)
        #expect((pt["language"] as? [String: Any])?["code"] as? String == "pt_BR")
    }

    @Test func withoutAnApprovedTemplateTheTextIsSentAsFreeText() throws {
        let r = try sent("hello", locale: "en")
        #expect(r.body["type"] as? String == "text")
        #expect((r.body["text"] as? [String: Any])?["body"] as? String == "Hello Ana")
        #expect(r.body["template"] == nil && r.body["to"] as? String == "4520123456")
    }

    @Test func anEmptyParameterOrAnOverlongTextIsRefusedBeforeSending() throws {
        var ctx = Self.context.objectValue!
        ctx["event"] = ["title": "Dinner", "when": "Friday", "location": ""]
        #expect(throws: SMSSendError.self) { _ = try sent("reminder", locale: "da", context: .object(ctx)) }
        let m = OutgoingMessage(deliveryID: 1, address: "+4520123456", text: String(repeating: "a", count: 4097))
        #expect(throws: SMSSendError.self) {
            _ = try channel().whatsAppRequest(for: m, number: "+4520123456", timestamp: 1)
        }
        // Through the channel: a permanent outcome naming the parameter, nothing sent.
        let lib = try TemplateTestSupport.library(Self.library)
        var e = OutgoingMessage(deliveryID: 2, address: "+4520123456", text: "x")
        e.approvedTemplate = try lib.render("reminder", kind: .sms, locale: "da", context: .object(ctx))
            .approvedTemplate
        let outcome = try channel(["url": "http://127.0.0.1:9"]).send([e])
        guard case .permanent(let why, _) = outcome.first else { Issue.record("\(outcome)"); return }
        #expect(why.contains("Parameter 2") && why.contains("event_reminder"))
    }

    @Test func badFrontMatterIsAProblemOfTheFile() throws {
        let lib = try TemplateTestSupport.library([
            "a/sms.en.txt": "---\nwhatsapp_template: Event Reminder\n---\nx",
            "b/sms.en.txt": "---\nwhatsapp_template: ok\nwhatsapp_params: event.when\n---\nx",
            "c/sms.en.txt": "---\nwhatsapp_params: [event.when]\n---\nx",
            "d/sms.en.txt": "---\nwhatsapp_template: ok\nwhatsapp_params: [event.when, {{x}}]\n---\nx",
        ])
        let problems = lib.check().map(\.description)
        #expect(problems.count == 4)
        #expect(problems.contains { $0.contains("a/sms.en.txt") && $0.contains("not a template name") })
        #expect(problems.contains { $0.contains("b/sms.en.txt") && $0.contains("brackets") })
        #expect(problems.contains { $0.contains("c/sms.en.txt") && $0.contains("whatsapp_template") })
        #expect(problems.contains { $0.contains("d/sms.en.txt") && $0.contains("value name") })
    }

    @Test func configNeedsThePhoneNumberIdTokenAndAppSecret() {
        func message(_ drop: String) -> String {
            var v = values
            v[drop] = nil
            do {
                _ = try SMSChannel(name: "wa", section: ChannelSections.make("wa", v), publicURL: nil)
                return "accepted"
            } catch { return error.description }
        }
        #expect(message("phone_number_id").contains("phone_number_id"))
        #expect(message("token").contains("token_file"))
        #expect(message("app_secret").contains("app_secret_file"))
    }

    /// The signature as Meta documents it, computed outside this code (Python's `hmac`):
    /// `sha256=` + hex HMAC-SHA256 of the raw body with the app secret.
    @Test func theSignatureIsCheckedAsMetaMakesIt() throws {
        let body = Array(#"{"object":"whatsapp_business_account"}"#.utf8)
        let meta = "sha256=844394f43b11b5d0eb7e84dcb24a9b6541567fe194da4d78695f60831c167195"
        let auth = try #require(try channel().receiptAuth.whatsApp)
        #expect(auth.refusal(body: body, signature: meta) == nil)
        #expect(
            auth.refusal(body: body, signature: meta.uppercased().replacingOccurrences(of: "SHA256", with: "sha256"))
                == nil)
        #expect(auth.refusal(body: body + [0x20], signature: meta) != nil)
        #expect(auth.refusal(body: body, signature: nil)?.contains("missing") == true)
        #expect(auth.refusal(body: body, signature: "sha1=" + meta.dropFirst(7)) != nil)
        let other = WhatsAppWebhookAuth(appSecret: "another", verifyToken: nil)
        #expect(other.refusal(body: body, signature: meta) != nil)
    }

    @Test func theHandshakeEchoesTheChallengeOnlyForTheVerifyToken() throws {
        let auth = try #require(try channel().receiptAuth.whatsApp)
        let q = ["hub.mode": "subscribe", "hub.verify_token": "verify-me", "hub.challenge": "1158201444"]
        #expect(auth.challenge(query: q) == .success("1158201444"))
        #expect((try? auth.challenge(query: q.merging(["hub.verify_token": "guess"]) { $1 }).get()) == nil)
        #expect((try? auth.challenge(query: q.merging(["hub.mode": "unsubscribe"]) { $1 }).get()) == nil)
        let none = WhatsAppWebhookAuth(appSecret: "s", verifyToken: nil)
        #expect((try? none.challenge(query: q).get()) == nil)
    }

    /// A webhook as Meta's documentation shows it: three statuses and an inbound STOP.
    @Test func statusesMapToReceipts() throws {
        let body = """
            {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",
            "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881",
            "phone_number_id":"106540352242922"},
            "statuses":[{"id":"wamid.A","status":"sent","timestamp":"1750263773","recipient_id":"4520123456"},
            {"id":"wamid.A","status":"read","timestamp":"1750263775","recipient_id":"4520123456"},
            {"id":"wamid.B","status":"failed","timestamp":"1750263776","recipient_id":"4520999999",
             "errors":[{"code":131026,"title":"Message undeliverable"}]},
            {"id":"wamid.C","status":"failed","timestamp":"1750263776","recipient_id":"4520888888",
             "errors":[{"code":131047,"title":"Re-engagement message"}]},
            {"id":"wamid.D","status":"delivered","timestamp":"1750263776","recipient_id":"4520777777"}],
            "messages":[{"from":"4520123456","id":"wamid.in","type":"text","text":{"body":"Stop"}},
            {"from":"4520123456","id":"wamid.in2","type":"text","text":{"body":"Thanks!"}}]}}]}]}
            """
        let events = try Receipts.parseWhatsApp(Array(body.utf8))
        #expect(events.count == 7)
        #expect(
            events[0]
                == .receipt(
                    Receipt(providerID: "wamid.A", state: .pending, reason: "WhatsApp sent", phone: "+4520123456")))
        #expect(
            events[1]
                == .receipt(
                    Receipt(providerID: "wamid.A", state: .delivered, reason: "WhatsApp read", phone: "+4520123456")))
        #expect(
            events[2]
                == .receipt(
                    Receipt(
                        providerID: "wamid.B", state: .failed,
                        reason: "WhatsApp failed (error 131026: Message undeliverable)", phone: "+4520999999",
                        suppress: true)))
        guard case .receipt(let outsideWindow) = events[3] else { Issue.record("\(events[3])"); return }
        #expect(outsideWindow.state == .failed && !outsideWindow.suppress)
        guard case .receipt(let delivered) = events[4] else { Issue.record("\(events[4])"); return }
        #expect(delivered.state == .delivered)
        #expect(events[5] == .suppression(SuppressionRequest(phone: "+4520123456", keyword: "STOP")))
        guard case .ignored = events[6] else { Issue.record("\(events[6])"); return }
        #expect(throws: ReceiptError.self) { try Receipts.parseWhatsApp(Array("{\"object\":\"page\"}".utf8)) }
        #expect(throws: ReceiptError.self) { try Receipts.parseWhatsApp(Array("not json".utf8)) }
    }

    @Test func aGraphErrorNamesItsCodeAndAnInvalidNumberSuppresses() throws {
        let c = try channel()
        func answer(_ status: Int, _ body: String) -> DeliveryOutcome {
            c.whatsAppOutcome(
                .success(HTTPClientResponse(status: status, headers: [], body: Array(body.utf8))), peer: "whatsapp")
        }
        #expect(
            answer(200, #"{"messaging_product":"whatsapp","messages":[{"id":"wamid.X"}]}"#)
                == .sent(providerID: "wamid.X"))
        let bad = answer(400, #"{"error":{"message":"(#131026) Message undeliverable","code":131026}}"#)
        #expect(
            bad
                == .permanent(
                    "whatsapp answered HTTP 400: (#131026) Message undeliverable (error 131026)", suppress: true))
        guard case .permanent(_, let suppress) = answer(401, #"{"error":{"message":"Invalid OAuth","code":190}}"#)
        else { Issue.record("not permanent"); return }
        #expect(!suppress)
        guard case .transient = answer(429, "{}") else { Issue.record("429 not transient"); return }
    }
}
