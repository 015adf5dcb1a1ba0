import Foundation

extension Receipts {
    static let sendGridSignatureHeader = "x-twilio-email-event-webhook-signature"
    static let sendGridTimestampHeader = "x-twilio-email-event-webhook-timestamp"

    /// SendGrid's Signed Event Webhook: `X-Twilio-Email-Event-Webhook-Signature` is base64 of an
    /// ECDSA P-256 (SHA-256, DER) signature over `X-Twilio-Email-Event-Webhook-Timestamp`
    /// followed by the raw body, checked with the public key SendGrid shows; then the events.
    ///
    /// No time window: SendGrid does not document one and retries a failed post for a day; a
    /// replayed batch re-applies events the pipeline counts at most once a day.
    static func sendGridEvents(_ request: ProviderRequest, key: PublicKey) throws(ProviderWebhookError)
        -> ProviderEvents
    {
        guard let signature = request.headers[sendGridSignatureHeader], !signature.isEmpty,
            let timestamp = request.headers[sendGridTimestampHeader], !timestamp.isEmpty
        else {
            throw .unsigned(
                "The request has no X-Twilio-Email-Event-Webhook-Signature and -Timestamp; turn on the Signed Event Webhook."
            )
        }
        guard let sig = Data(base64Encoded: signature.trimmingSpaces), !sig.isEmpty else {
            throw .refused("X-Twilio-Email-Event-Webhook-Signature is not base64.")
        }
        guard key.verify(Array(sig), of: Array(timestamp.utf8) + request.body, digest: .sha256) else {
            throw .refused("The SendGrid signature does not verify with the channel's sendgrid_public_key.")
        }
        return try sendGridBatch(request.body)
    }

    /// A batch of SendGrid events (a JSON array):
    /// - bounce: `type` bounce → hard, blocked → soft, with `status` and `reason`;
    /// - dropped: `reason` Bounced Address or Invalid → hard, Spam Reporting Address → complaint,
    ///   Expired → soft; any other drop (unsubscribed, spam content) changes nothing;
    /// - spamreport → complaint; deferred → delayed; delivered → a delivered receipt;
    /// - the rest (processed, open, click, unsubscribe, …) changes nothing.
    ///
    /// Our delivery id: the `outreach_delivery` unique/custom argument, else our Message-ID in `smtp-id`.
    public static func sendGridBatch(_ body: [UInt8]) throws(ProviderWebhookError) -> ProviderEvents {
        guard let list = try? JSON.parse(body).arrayValue else {
            throw .malformed("The body is not a SendGrid event batch (a JSON array).")
        }
        var events = ProviderEvents()
        for e in list {
            let delivery =
                ProviderFields.deliveryID(value: ProviderFields.text(e[ProviderFields.deliveryKey]))
                ?? ProviderFields.deliveryID(messageID: e["smtp-id"]?.stringValue)
            let id = ProviderFields.text(e["sg_event_id"])
            let reason = ProviderFields.line(e["reason"]?.stringValue ?? e["response"]?.stringValue)
            func result(_ kind: BounceKind) -> BounceResult {
                let status = ProviderFields.status(e["status"]?.stringValue, text: reason)
                return BounceResult(
                    recipient: ProviderFields.recipient(e["email"]?.stringValue),
                    kind: ProviderFields.kind(kind, status: status, diagnostic: reason), status: status,
                    diagnostic: reason,
                    delivery: delivery)
            }
            switch (e["event"]?.stringValue, e["type"]?.stringValue, e["reason"]?.stringValue) {
            case ("bounce", "blocked", _): events.add([result(.soft)], event: id)
            case ("bounce", _, _): events.add([result(.hard)], event: id)
            case ("dropped", _, "Bounced Address"), ("dropped", _, "Invalid"): events.add([result(.hard)], event: id)
            case ("dropped", _, "Spam Reporting Address"): events.add([result(.complaint)], event: id)
            case ("dropped", _, "Expired"): events.add([result(.soft)], event: id)
            case ("spamreport", _, _): events.add([result(.complaint)], event: id)
            case ("deferred", _, _): events.add([result(.delayed)], event: id)
            case ("delivered", _, _):
                events.delivered.append(
                    ProviderFields.delivered(delivery, "SendGrid delivered", reason))
            default: events.ignored += 1
            }
        }
        return events
    }
}
