import Foundation
import Outreach
import OutreachTestFixtures
import Testing

@testable import Channels

@Suite struct HookChannelTests {
    let secret = ChannelSections.newSecret()

    func channel(_ extra: [String: ConfigValue] = [:]) throws -> HookChannel {
        var values: [String: ConfigValue] = [
            "url": "https://crm.example.org/in", "events": .strings(["delivery.sent"]),
            "signing_secret": .string(secret),
        ]
        values.merge(extra) { $1 }
        let section = ConfigSection(name: "hooks.crm", file: "t.conf", baseDirectory: "", values: values)
        return try HookChannel(hook: try Hook(name: "crm", section: section), section: section) { 1_767_225_600 }
    }

    @Test func aPostCarriesTheBodyAsIsSignedWithTheEventsID() throws {
        let c = try channel(["headers": .strings(["X-Tenant: 7", "Content-Type: application/json; charset=utf-8"])])
        let body = #"{"data":{},"timestamp":"2026-01-01T00:00:00.000Z","type":"delivery.sent"}"#
        let m = OutgoingMessage(deliveryID: 99, address: "delivery.sent", text: "", body: body, webhookID: "evt_5")
        let r = c.request(for: m, timestamp: 1_767_225_600)
        #expect(r.method == "POST" && r.url == "https://crm.example.org/in" && r.body == Array(body.utf8))
        var headers: [String: String] = [:]
        for h in r.headers { headers[h.name] = h.value }
        #expect(headers["webhook-id"] == "evt_5" && headers["webhook-timestamp"] == "1767225600")
        #expect(headers["X-Tenant"] == "7" && headers["Content-Type"] == "application/json; charset=utf-8")
        #expect(r.headers.filter { $0.name.lowercased() == "content-type" }.count == 1)
        // The receiver's check (the package's verifier, at the request's own time) accepts it.
        let id = try StandardWebhooks(secret: secret).verify(
            headers: headers, body: r.body, now: Date(timeIntervalSince1970: 1_767_225_600))
        #expect(id == "evt_5")
    }

    @Test func onlyGoneEndsADeliveryAndEveryOtherRefusalIsTriedAgain() {
        func outcome(_ status: Int, _ headers: [(name: String, value: String)] = []) -> DeliveryOutcome {
            HookChannel.outcome(.success(HTTPClientResponse(status: status, headers: headers)), peer: "hook crm")
        }
        #expect(outcome(204) == .sent(providerID: nil))
        #expect(outcome(410) == .permanent("hook crm answered HTTP 410"))
        #expect(outcome(400) == .transient("hook crm answered HTTP 400"))
        #expect(outcome(404) == .transient("hook crm answered HTTP 404"))
        #expect(outcome(429, [("Retry-After", "7")]) == .transient("hook crm answered HTTP 429", retryAfter: 7))
        #expect(outcome(500) == .transient("hook crm answered HTTP 500"))
        #expect(outcome(503) == .unreachable("hook crm answered HTTP 503", peerAnswered: true))
    }
}
