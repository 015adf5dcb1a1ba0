extension Receipts {
    /// `X-Hub-Signature-256` as Meta computes it: `sha256=` and the lower-case hex HMAC-SHA256 of
    /// the raw body, keyed with the app secret.
    public static func whatsAppSignature(body: [UInt8], appSecret: [UInt8]) -> String {
        "sha256=" + Crypto.hex(Crypto.hmacSHA256(key: appSecret, body))
    }

    /// WhatsApp error codes on a failed status that mean the number cannot be messaged: 131026
    /// (undeliverable: not a WhatsApp account, or one that cannot take the message) and 131050
    /// (the person stopped marketing messages from the business).
    public static let whatsAppNumberErrors: Set<String> = ["131026", "131050"]

    /// The events of a WhatsApp Cloud API webhook (`{"object": "whatsapp_business_account",
    /// "entry": [{"changes": [{"field": "messages", "value": {"statuses": […], "messages": […]}}]}]}`):
    /// each status (`sent` → pending, `delivered` and `read` → delivered, `failed` → failed, by the
    /// `wamid` the send was answered with), and each inbound text that is a stop keyword.
    public static func parseWhatsApp(_ body: [UInt8]) throws(ReceiptError) -> [ReceiptEvent] {
        guard let json = try? JSON.parse(body), json.objectValue != nil else {
            throw .invalidField("body", value: "not a JSON object")
        }
        guard json["object"]?.stringValue == "whatsapp_business_account" else {
            throw .missingField("object (whatsapp_business_account)")
        }
        var out: [ReceiptEvent] = []
        for entry in json["entry"]?.arrayValue ?? [] {
            for change in entry["changes"]?.arrayValue ?? [] {
                guard let value = change["value"] else { continue }
                for status in value["statuses"]?.arrayValue ?? [] { out.append(try whatsAppStatus(status)) }
                for message in value["messages"]?.arrayValue ?? [] { out.append(whatsAppInbound(message)) }
            }
        }
        return out
    }

    static func whatsAppStatus(_ status: JSON) throws(ReceiptError) -> ReceiptEvent {
        guard let id = status["id"]?.stringValue, !id.isEmpty else { throw .missingField("statuses[].id") }
        guard let word = status["status"]?.stringValue else { throw .missingField("statuses[].status") }
        let state: Receipt.State
        switch word {
        case "delivered", "read": state = .delivered
        case "failed": state = .failed
        case "sent", "deleted", "warning": state = .pending
        default: throw .invalidField("statuses[].status", value: word)
        }
        var reason = "WhatsApp \(word)"
        var codes: [String] = []
        for e in status["errors"]?.arrayValue ?? [] {
            guard let code = e["code"].flatMap({ $0.intValue.map(String.init) ?? $0.stringValue }) else { continue }
            codes.append(code)
            let title = e["title"]?.stringValue ?? e["message"]?.stringValue
            reason += " (error \(code)" + (title.map { ": " + $0 } ?? "") + ")"
        }
        let suppress = state == .failed && codes.contains { whatsAppNumberErrors.contains($0) }
        let phone = status["recipient_id"]?.stringValue.map { $0.hasPrefix("+") ? $0 : "+" + $0 }
        return .receipt(Receipt(providerID: id, state: state, reason: reason, phone: phone, suppress: suppress))
    }

    static func whatsAppInbound(_ message: JSON) -> ReceiptEvent {
        guard let from = message["from"]?.stringValue, let text = message["text"]?["body"]?.stringValue,
            let word = stopKeyword(in: text)
        else { return .ignored("An inbound message that is not a stop keyword.") }
        return .suppression(SuppressionRequest(phone: from.hasPrefix("+") ? from : "+" + from, keyword: word))
    }
}
