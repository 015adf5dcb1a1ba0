import Channels
import Foundation
import Outreach
import OutreachTestFixtures
import Testing

@Suite struct WebhookChannelTests {
    @Test func configErrorsNameTheKey() {
        #expect(throws: ConfigError.self) {
            try WebhookChannel(
                name: "t", section: ChannelSections.make("t", ["type": "webhook", "preset": "irc", "url": "http://x"]))
        }
        do {
            _ = try WebhookChannel(
                name: "t",
                section: ChannelSections.make(
                    "t", ["type": "webhook", "preset": "slack", "url": "http://x", "target": "contact"]))
            Issue.record("accepted a contact target without address_attribute")
        } catch {
            #expect(error.description.contains("address_attribute"))
        }
        do {
            _ = try WebhookChannel(
                name: "t",
                section: ChannelSections.make(
                    "t",
                    [
                        "type": "webhook", "preset": "slack", "url": "http://x",
                        "headers": .strings(["X-Bad"]),
                    ]))
            Issue.record("accepted a header without a colon")
        } catch {
            #expect(error.description.contains("headers"))
        }
    }
}
