extension Receipts {
    /// A Twilio status callback (`MessageSid`, `MessageStatus`, `ErrorCode`) or an inbound message
    /// webhook (`Body`, `From`; no `MessageStatus` or status `received`).
    public static func parseTwilio(_ fields: [String: String], defaultCountry: String? = nil) throws(ReceiptError)
        -> ReceiptEvent
    {
        let status = fields["MessageStatus"] ?? fields["SmsStatus"]
        if let body = fields["Body"], status == nil || status == "received" {
            guard let from = fields["From"], !from.isEmpty else { throw .missingField("From") }
            if let word = stopKeyword(in: body) ?? fields["OptOutType"].flatMap({ $0 == "STOP" ? "STOP" : nil }) {
                return .suppression(
                    SuppressionRequest(phone: phone(from, defaultCountry: defaultCountry), keyword: word))
            }
            return .ignored("An inbound message that is not a stop keyword.")
        }
        guard let sid = fields["MessageSid"] ?? fields["SmsSid"], !sid.isEmpty else {
            throw .missingField("MessageSid")
        }
        guard let status, !status.isEmpty else { throw .missingField("MessageStatus") }
        let state: Receipt.State
        switch status {
        case "delivered", "read": state = .delivered
        case "undelivered", "failed", "canceled": state = .failed
        case "accepted", "scheduled", "queued", "sending", "sent", "receiving", "received": state = .pending
        default: throw .invalidField("MessageStatus", value: status)
        }
        var reason = "Twilio \(status)"
        let code = fields["ErrorCode"].flatMap { $0.isEmpty ? nil : $0 }
        if let code { reason += " (error \(code))" }
        // 30003 unreachable handset is temporary; 30005 unknown number, 30006 landline, 21610/30004 blocked or opted out are not.
        let suppress = state == .failed && ["30005", "30006", "21610", "30004", "21614"].contains(code ?? "")
        return .receipt(
            Receipt(
                providerID: sid, state: state, reason: reason,
                phone: fields["To"].map { phone($0, defaultCountry: defaultCountry) }, suppress: suppress))
    }
}
