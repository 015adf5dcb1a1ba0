extension Receipts {
    /// A Mailgun webhook (JSON: `signature` and `event-data`): the signature is the hex
    /// HMAC-SHA256 of `timestamp` followed by `token`, keyed with the webhook signing key. A
    /// timestamp more than `ProviderWebhook.mailgunWindow` from now, or a token seen within it,
    /// is refused.
    static func mailgunEvents(_ body: [UInt8], signingKey: [UInt8], replay: ReplayGuard, now: Int64)
        throws(ProviderWebhookError) -> ProviderEvents
    {
        guard let root = try? JSON.parse(body), root.objectValue != nil else {
            throw .malformed("The body is not a Mailgun webhook (a JSON object).")
        }
        guard let s = root["signature"], let timestamp = ProviderFields.text(s["timestamp"]),
            let token = s["token"]?.stringValue, !token.isEmpty, let signature = s["signature"]?.stringValue
        else {
            throw .unsigned("The Mailgun webhook has no signature object with timestamp, token and signature.")
        }
        let expected = Crypto.hex(Crypto.hmacSHA256(key: signingKey, Array((timestamp + token).utf8)))
        guard Crypto.constantTimeEqual(Array(signature.lowercased().utf8), Array(expected.utf8)) else {
            throw .refused("The Mailgun signature does not match the channel's signing key.")
        }
        guard timestamp.count <= 12, timestamp.allSatisfy({ $0.isASCII && $0.isNumber }), let time = Int64(timestamp)
        else {
            throw .refused("The Mailgun signature's timestamp is not a Unix time in seconds.")
        }
        switch replay.admit(id: token, time: time, now: now) {
        case .fresh: break
        case .seen: throw .refused("The Mailgun token was used before: a replayed request is not applied again.")
        case .stale(let age): throw .refused("The Mailgun signature is \(age) s old, older than the replay window.")
        case .future(let ahead):
            throw .refused("The Mailgun signature is dated \(ahead) s ahead of this server's clock.")
        }
        guard let event = root["event-data"], event.objectValue != nil else {
            throw .malformed("The Mailgun webhook has no event-data object.")
        }
        return mailgunEvent(event)
    }

    /// One Mailgun `event-data`:
    /// - failed, `severity` permanent → hard (`reason` old: it gave up after retrying → soft;
    ///   suppress-complaint → complaint), temporary → delayed (Mailgun tries again);
    /// - complained → complaint; delivered → a delivered receipt; the rest changes nothing.
    ///
    /// Our delivery id: the `outreach_delivery` user variable, else our Message-ID in `message.headers`.
    public static func mailgunEvent(_ e: JSON) -> ProviderEvents {
        let delivery =
            ProviderFields.deliveryID(value: ProviderFields.text(e["user-variables"]?[ProviderFields.deliveryKey]))
            ?? ProviderFields.deliveryID(messageID: e["message"]?["headers"]?["message-id"]?.stringValue)
        let ds = e["delivery-status"]
        var words = ds?["message"]?.stringValue ?? ""
        if words.isEmpty { words = ds?["description"]?.stringValue ?? "" }
        if let code = ProviderFields.text(ds?["code"]), !words.isEmpty { words = code + " " + words }
        let diagnostic = ProviderFields.line(words)
        func result(_ kind: BounceKind) -> BounceResult {
            let status = ProviderFields.status(ds?["enhanced-code"]?.stringValue, text: diagnostic)
            return BounceResult(
                recipient: ProviderFields.recipient(e["recipient"]?.stringValue),
                kind: ProviderFields.kind(kind, status: status, diagnostic: diagnostic), status: status,
                diagnostic: diagnostic,
                delivery: delivery)
        }
        let id = e["id"]?.stringValue
        var events = ProviderEvents()
        switch (e["event"]?.stringValue, e["severity"]?.stringValue, e["reason"]?.stringValue) {
        case ("failed", "temporary", _): events.add([result(.delayed)], event: id)
        case ("failed", _, "old"): events.add([result(.soft)], event: id)
        case ("failed", _, "suppress-complaint"): events.add([result(.complaint)], event: id)
        case ("failed", _, "suppress-unsubscribe"): events.ignored = 1
        case ("failed", "permanent", _): events.add([result(.hard)], event: id)
        case ("failed", _, _): events.add([result(.unknown)], event: id)
        case ("complained", _, _): events.add([result(.complaint)], event: id)
        case ("delivered", _, _):
            events.delivered.append(
                ProviderFields.delivered(delivery, "Mailgun delivered", diagnostic))
        default: events.ignored = 1
        }
        return events
    }
}
