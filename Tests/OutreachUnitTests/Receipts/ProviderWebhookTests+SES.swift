import Foundation
import Outreach
import OutreachTestFixtures
import Testing

/// SES through SNS: signatures made with the fixture key by SNS's documented algorithm
/// (SHA1withRSA for SignatureVersion 1, SHA256withRSA for 2, over the canonical field text).
@Suite struct SESWebhookTests {
    static let topic = "arn:aws:sns:eu-west-1:123456789012:ses"

    static func bounce(_ type: String, status: String = "5.1.1", delivery: Int64? = nil, to: String = "ana@Example.ORG")
        -> String
    {
        let mail: JSON = [
            "messageId": "0102018d-ses-id",
            "commonHeaders": ["messageId": .string(delivery.map { "<outreach.\($0).7.lxyz@example.org>" } ?? "<x@y>")],
        ]
        let n: JSON = [
            "notificationType": "Bounce", "mail": mail,
            "bounce": [
                "bounceType": .string(type), "bounceSubType": "General", "feedbackId": "fb-1",
                "bouncedRecipients": [
                    [
                        "emailAddress": .string(to), "action": "failed", "status": .string(status),
                        "diagnosticCode": .string(
                            "smtp; 550 \(status) <\(to)>: Recipient address rejected: User unknown"),
                    ]
                ],
            ],
        ]
        return n.serialized
    }

    @Test(arguments: ["1", "2"])
    func signedPermanentBounceIsAppliedAsHard(version: String) throws {
        let h = try ProviderHarness.ses(topic: Self.topic)
        let id = try h.sent(to: "ana@example.org")
        let body = ProviderSigning.snsMessage(
            message: Self.bounce("Permanent", delivery: id), messageID: "m-\(version)", version: version)
        let outcome = try h.post(body)
        #expect(outcome.bounces == 1)
        #expect(
            h.sink.results == [
                BounceResult(
                    recipient: "ana@example.org", kind: .hard, status: "5.1.1",
                    diagnostic: "smtp; 550 5.1.1 <ana@Example.ORG>: Recipient address rejected: User unknown",
                    delivery: id)
            ])
        #expect(h.sink.applied.map(\.source) == ["ses webhook on mail, event m-\(version)"])
    }

    @Test func kindsOfTheOtherNotifications() throws {
        let h = try ProviderHarness.ses()
        try h.post(ProviderSigning.snsMessage(message: Self.bounce("Transient", status: "4.2.2")))
        try h.post(ProviderSigning.snsMessage(message: Self.bounce("Undetermined", status: "")))
        // Permanent, but the code says the mailbox is full: soft (RFC 3463 5.2.2).
        try h.post(ProviderSigning.snsMessage(message: Self.bounce("Permanent", status: "5.2.2")))
        let complaint: JSON = [
            "notificationType": "Complaint", "mail": ["messageId": "s"],
            "complaint": [
                "complainedRecipients": [["emailAddress": "bo@example.org"]], "complaintFeedbackType": "abuse",
            ],
        ]
        try h.post(ProviderSigning.snsMessage(message: complaint.serialized, subject: "Amazon SES Email Event"))
        let delay: JSON = [
            "eventType": "DeliveryDelay", "mail": ["messageId": "s"],
            "deliveryDelay": [
                "delayType": "MailboxFull",
                "delayedRecipients": [["emailAddress": "cy@example.org", "status": "4.2.2", "diagnosticCode": "full"]],
            ],
        ]
        try h.post(ProviderSigning.snsMessage(message: delay.serialized))
        let notSpam: JSON = [
            "notificationType": "Complaint", "mail": ["messageId": "s"],
            "complaint": [
                "complainedRecipients": [["emailAddress": "dy@example.org"]], "complaintFeedbackType": "not-spam",
            ],
        ]
        #expect(try h.post(ProviderSigning.snsMessage(message: notSpam.serialized)).ignored == 1)
        #expect(h.sink.results.map(\.kind) == [.soft, .unknown, .soft, .complaint, .delayed])
        #expect(h.sink.results.map(\.status) == ["4.2.2", nil, "5.2.2", nil, "4.2.2"])
        #expect(h.sink.results.map(\.recipient).last == "cy@example.org")
    }

    @Test func deliveryMovesTheDeliveryByOurHeader() throws {
        let h = try ProviderHarness.ses()
        let id = try h.sent(to: "ana@example.org")
        let delivery: JSON = [
            "notificationType": "Delivery",
            "mail": [
                "messageId": "s", "headers": [["name": "X-Outreach-Delivery", "value": .string(String(id))]],
            ],
            "delivery": ["recipients": ["ana@example.org"], "smtpResponse": "250 2.6.0 Message received"],
        ]
        let outcome = try h.post(ProviderSigning.snsMessage(message: delivery.serialized))
        #expect(outcome.delivered == 1 && outcome.unmatched == 0)
        #expect(h.state(id) == .delivered)
        // A delivery naming nothing of ours changes nothing and says so.
        let foreign: JSON = ["notificationType": "Delivery", "mail": ["messageId": "s"], "delivery": [:]]
        #expect(try h.post(ProviderSigning.snsMessage(message: foreign.serialized)).unmatched == 1)
    }

    /// Configuration-set events carry the `X-SES-MESSAGE-TAGS` tag the channel adds.
    @Test func messageTagNamesTheDelivery() throws {
        let h = try ProviderHarness.ses()
        let id = try h.sent(to: "ana@example.org")
        #expect(
            String(decoding: EmailProvider.ses.metadataHeader(deliveryID: id), as: UTF8.self)
                == "X-SES-MESSAGE-TAGS: outreach_delivery=\(id)\r\n")
        let event: JSON = [
            "eventType": "Delivery", "mail": ["messageId": "s", "tags": ["outreach_delivery": [.string(String(id))]]],
            "delivery": [:],
        ]
        #expect(try h.post(ProviderSigning.snsMessage(message: event.serialized)).delivered == 1)
    }

    @Test func unsignedForgedAndTamperedMessagesAreRefused() throws {
        let h = try ProviderHarness.ses(topic: Self.topic)
        _ = try h.sent(to: "ana@example.org")
        let message = Self.bounce("Permanent")
        // No signature at all (raw message delivery, or someone posting by hand).
        let unsigned = ProviderSigning.snsMessage(message: message) { $0["Signature"] = nil }
        #expect(h.refusal(unsigned)?.status == 401)
        // Signed by another key.
        let forged = ProviderSigning.snsMessage(message: message, keyPEM: ProviderSigning.file("other-key.pem"))
        let why = h.refusal(forged)
        #expect(why?.status == 403)
        #expect(why?.description.contains("SimpleNotificationService-test.pem") == true)
        // The Message changed after signing: a soft bounce made hard.
        let tampered = ProviderSigning.snsMessage(message: Self.bounce("Transient")) {
            $0["Message"] = Self.bounce("Permanent")
        }
        #expect(h.refusal(tampered)?.status == 403)
        // Any signed field changed: the topic, the subject added, the time.
        #expect(h.refusal(ProviderSigning.snsMessage(message: message) { $0["Subject"] = "x" })?.status == 403)
        #expect(h.refusal(ProviderSigning.snsMessage(message: message) { $0["Signature"] = "%%%" })?.status == 403)
        #expect(h.refusal(ProviderSigning.snsMessage(message: message, version: "3"))?.status == 403)
        // Validly signed, for another topic.
        let elsewhere = ProviderSigning.snsMessage(message: message, topic: "arn:aws:sns:eu-west-1:999:other")
        #expect(h.refusal(elsewhere)?.description.contains("arn:aws:sns:eu-west-1:999:other") == true)
        // Validly signed, two hours ago: longer than SNS retries.
        let old = ProviderSigning.snsMessage(message: message, timestamp: Date(timeIntervalSinceNow: -7_200))
        #expect(h.refusal(old)?.status == 403)
        // Not JSON; a Type SNS does not send.
        #expect(h.refusal(Array("Type=Notification".utf8))?.status == 400)
        #expect(h.refusal(ProviderSigning.snsMessage(message: message, type: "Notice"))?.status == 400)
        #expect(h.sink.applied.isEmpty)
    }

    @Test func aRepeatedMessageIsAppliedOnce() throws {
        let h = try ProviderHarness.ses()
        let body = ProviderSigning.snsMessage(message: Self.bounce("Permanent"), messageID: "same")
        #expect(try h.post(body).bounces == 1)
        let again = try h.post(body)
        #expect(again.duplicate && again.bounces == 0)
        #expect(h.sink.applied.count == 1)
    }

    @Test func subscriptionConfirmationIsANoticeNotAFetch() throws {
        let h = try ProviderHarness.ses(topic: Self.topic)
        let body = ProviderSigning.snsMessage(message: "You have chosen to subscribe", type: "SubscriptionConfirmation")
        let events = try h.webhook.events(ProviderRequest(headers: [:], body: body), now: h.now)
        #expect(events.notice?.contains("https://sns.eu-west-1.amazonaws.com/?Action=ConfirmSubscription") == true)
        #expect(events.notice?.contains(Self.topic) == true)
        #expect(events.results.isEmpty && events.delivered.isEmpty)
        let unsigned = ProviderSigning.snsMessage(message: "x", type: "SubscriptionConfirmation") {
            $0["Signature"] = nil
        }
        #expect(h.refusal(unsigned)?.status == 401)
    }

    @Test func aSecondCertificateInTheFileIsAccepted() throws {
        // While SNS rotates its certificate the officer keeps both in the file.
        let both = ProviderSigning.file("other-cert.pem") + ProviderSigning.file("sns-cert.pem")
        let h = try ProviderHarness.ses(certificates: both)
        #expect(try h.post(ProviderSigning.snsMessage(message: Self.bounce("Permanent"))).bounces == 1)
    }

    /// The canonical text of AWS's documentation: name and value lines, Subject only when present.
    @Test func stringToSignFollowsTheDocumentedOrder() {
        let n = ["Type": "Notification", "MessageId": "i", "TopicArn": "t", "Message": "m", "Timestamp": "ts"]
        #expect(
            Receipts.snsStringToSign(n)
                == Array("Message\nm\nMessageId\ni\nTimestamp\nts\nTopicArn\nt\nType\nNotification\n".utf8))
        var s = n
        s["Subject"] = "s"
        #expect(
            String(decoding: Receipts.snsStringToSign(s)!, as: UTF8.self).contains(
                "MessageId\ni\nSubject\ns\nTimestamp"))
        let c = [
            "Type": "SubscriptionConfirmation", "MessageId": "i", "TopicArn": "t", "Message": "m", "Timestamp": "ts",
            "Token": "k", "SubscribeURL": "u",
        ]
        #expect(
            Receipts.snsStringToSign(c)
                == Array(
                    "Message\nm\nMessageId\ni\nSubscribeURL\nu\nTimestamp\nts\nToken\nk\nTopicArn\nt\nType\nSubscriptionConfirmation\n"
                        .utf8))
        var missing = c
        missing["Token"] = nil
        #expect(Receipts.snsStringToSign(missing) == nil)
    }
}
