import Foundation
import Outreach
import OutreachTestFixtures
import Testing

/// An email channel's provider webhook on fakes: the channel `mail` with the given provider keys,
/// a `FakeDeliveryQueue` holding sent deliveries and a `FakeBounceSink` recording what was applied.
struct ProviderHarness {
    let webhook: ProviderWebhook
    let queue = FakeDeliveryQueue()
    let sink = FakeBounceSink()
    /// Milliseconds since 1970 the requests are checked at.
    var now = WallClock.nowMillis()

    /// `files` are written beside the configuration (secrets, certificates), each with a newline.
    init(_ values: [String: ConfigValue], files: [String: String] = [:]) throws {
        var v = values
        v["type"] = "smtp"
        v["url"] = "smtp://127.0.0.1:2525"
        let section = ChannelSections.make("mail", v, dir: ChannelSections.secretDirectory(files))
        webhook = try ProviderWebhook.configured(section: section, channel: "mail")!
    }

    /// SES with the fixture SNS certificate (and a topic when given).
    static func ses(topic: String? = nil, certificates: String = ProviderSigning.file("sns-cert.pem")) throws
        -> ProviderHarness
    {
        var values: [String: ConfigValue] = ["provider": "ses", "sns_certificate_file": "sns.pem"]
        if let topic { values["sns_topic_arn"] = .string(topic) }
        return try ProviderHarness(values, files: ["sns.pem": certificates])
    }

    /// A delivery on `mail` to `address`, already sent; its id.
    func sent(to address: String) throws -> Int64 {
        let id = try queue.enqueue(
            Message(template: "hello"), deliveries: [NewDelivery(channel: "mail", address: address)], idempotency: nil
        ).deliveryIDs[0]
        queue.setState(id, .sent)
        return id
    }

    func state(_ id: Int64) -> DeliveryState? { queue.row(id)?.delivery.state }

    /// Checks and applies one request as the endpoint does.
    @discardableResult
    func post(_ body: [UInt8], headers: [String: String] = [:]) throws -> ProviderOutcome {
        let events = try webhook.events(ProviderRequest(headers: headers, body: body), now: now)
        return try webhook.apply(events, sink: sink, queue: queue, now: now)
    }

    /// The error a refused request throws (nil when it was accepted), having checked it applied nothing.
    func refusal(_ body: [UInt8], headers: [String: String] = [:]) -> ProviderWebhookError? {
        let before = sink.applied.count
        let rows = queue.rows.map(\.delivery.state)
        do {
            try post(body, headers: headers)
            return nil
        } catch let e as ProviderWebhookError {
            if sink.applied.count != before || queue.rows.map(\.delivery.state) != rows {
                Issue.record("a refused request applied something: \(e)")
            }
            return e
        } catch {
            Issue.record("not a refusal: \(error)")
            return nil
        }
    }
}
