extension Receipts {
    /// One Amazon SES notification (the `Message` of an SNS Notification): identity notifications
    /// (`notificationType`) and configuration-set events (`eventType`) alike.
    ///
    /// - Bounce: `bounceType` Permanent → hard, Transient → soft, Undetermined → unknown, per
    ///   `bouncedRecipients` entry with its `status` and `diagnosticCode`.
    /// - Complaint: each `complainedRecipients` entry → complaint (not a `not-spam` feedback).
    /// - DeliveryDelay: each `delayedRecipients` entry → delayed.
    /// - Delivery: a delivered receipt for the message.
    /// - Anything else (Send, Open, Click, Reject, …) changes nothing.
    ///
    /// Our delivery id: the `X-Outreach-Delivery` header or our Message-ID in `mail.headers`
    /// (sent only with "include original headers"), an `outreach_delivery` message tag, or
    /// `mail.commonHeaders.messageId`. `event` is the SNS MessageId, for the record.
    public static func sesNotification(_ body: [UInt8], event: String? = nil) throws(ProviderWebhookError)
        -> ProviderEvents
    {
        guard let n = try? JSON.parse(body), n.objectValue != nil else {
            throw .malformed("The SNS Message is not an SES notification (a JSON object).")
        }
        let type = n["notificationType"]?.stringValue ?? n["eventType"]?.stringValue ?? ""
        let delivery = sesDeliveryID(n["mail"])
        var events = ProviderEvents()
        func entries(_ object: String, _ list: String) -> [JSON] { n[object]?[list]?.arrayValue ?? [] }
        switch type {
        case "Bounce":
            let kind: BounceKind
            switch n["bounce"]?["bounceType"]?.stringValue {
            case "Permanent": kind = .hard
            case "Transient": kind = .soft
            default: kind = .unknown
            }
            events.add(entries("bounce", "bouncedRecipients").map { sesResult($0, kind, delivery) }, event: event)
        case "Complaint":
            guard n["complaint"]?["complaintFeedbackType"]?.stringValue != "not-spam" else {
                events.ignored = 1
                break
            }
            events.add(
                entries("complaint", "complainedRecipients").map { sesResult($0, .complaint, delivery) }, event: event)
        case "DeliveryDelay":
            events.add(
                entries("deliveryDelay", "delayedRecipients").map { sesResult($0, .delayed, delivery) }, event: event)
        case "Delivery":
            let answer = ProviderFields.line(n["delivery"]?["smtpResponse"]?.stringValue)
            events.delivered.append(
                ProviderFields.delivered(delivery, "SES Delivery", answer))
        default:
            events.ignored = 1
        }
        return events
    }

    static func sesResult(_ r: JSON, _ kind: BounceKind, _ delivery: Int64?) -> BounceResult {
        let diagnostic = ProviderFields.line(r["diagnosticCode"]?.stringValue)
        let status = ProviderFields.status(r["status"]?.stringValue, text: diagnostic)
        return BounceResult(
            recipient: ProviderFields.recipient(r["emailAddress"]?.stringValue),
            kind: ProviderFields.kind(kind, status: status, diagnostic: diagnostic), status: status,
            diagnostic: diagnostic, delivery: delivery)
    }

    static func sesDeliveryID(_ mail: JSON?) -> Int64? {
        var header: String?
        var messageID: String?
        for h in mail?["headers"]?.arrayValue ?? [] {
            switch h["name"]?.stringValue?.lowercased() {
            case "x-outreach-delivery": header = h["value"]?.stringValue
            case "message-id": messageID = h["value"]?.stringValue
            default: break
            }
        }
        return ProviderFields.deliveryID(value: header)
            ?? ProviderFields.deliveryID(value: ProviderFields.text(mail?["tags"]?[ProviderFields.deliveryKey]))
            ?? ProviderFields.deliveryID(messageID: messageID)
            ?? ProviderFields.deliveryID(messageID: mail?["commonHeaders"]?["messageId"]?.stringValue)
    }
}
