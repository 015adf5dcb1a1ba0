import Foundation
import Outreach
import Testing

@Suite struct HookEventTests {
    @Test func theBodyIsTheStandardWebhooksPayloadAndTheIDIsStable() throws {
        let e = HookEvent(
            id: 42, type: .deliveryBounced, at: 1_767_225_600_250,
            data: ["delivery_id": 7, "address": "ana@example.org", "diagnostic": "5.1.1 user unknown"])
        #expect(e.webhookID == "evt_42" && !e.webhookID.contains("."))
        #expect(
            e.body.serialized
                == #"{"data":{"address":"ana@example.org","delivery_id":7,"diagnostic":"5.1.1 user unknown"},"#
                + #""timestamp":"2026-01-01T00:00:00.250Z","type":"delivery.bounced"}"#)
        // What the hook's message keeps gives the same event back.
        #expect(HookEvent(messageData: e.messageData) == e)
        #expect(HookEvent(messageData: .object([:])) == nil)
        #expect(e.messageTemplate == "hook:delivery.bounced")
    }

    @Test func theDeliveryStatesOfTheEvents() {
        #expect(HookEventType.deliveryFailed.deliveryState == "dead")
        #expect(HookEventType.deliveryComplained.deliveryState == "complained")
        #expect(HookEventType.contactSubscribed.deliveryState == nil)
        #expect(HookEventType.allCases.count == 7)
    }

    @Test func timestampsKeepMillisecondsBeforeAndAfter1970() {
        #expect(RFC3339.utc(millis: 0) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339.utc(millis: -1) == "1969-12-31T23:59:59.999Z")
        #expect(RFC3339.utc(millis: 1_767_225_600_007) == "2026-01-01T00:00:00.007Z")
    }
}
