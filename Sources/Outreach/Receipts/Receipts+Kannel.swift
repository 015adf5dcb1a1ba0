extension Receipts {
    /// A Kannel delivery report: the `dlr-url` we set, `…?id={delivery}&status=%d`, optionally with
    /// `to=%p` and `answer=%A`; or an inbound message (`from` and `text`, from an sms-service `get-url`).
    ///
    /// Kannel's DLR types: 1 delivered, 2 undeliverable, 4 buffered, 8 accepted by the SMSC, 16 rejected by the SMSC.
    public static func parseKannel(_ fields: [String: String], defaultCountry: String? = nil) throws(ReceiptError)
        -> ReceiptEvent
    {
        if fields["status"] == nil, let from = fields["from"] {
            let text = fields["text"] ?? ""
            if let word = stopKeyword(in: text) {
                return .suppression(
                    SuppressionRequest(phone: phone(from, defaultCountry: defaultCountry), keyword: word))
            }
            return .ignored("An inbound message that is not a stop keyword.")
        }
        guard let rawID = fields["id"] else { throw .missingField("id") }
        guard let id = Int64(rawID) else { throw .invalidField("id", value: rawID) }
        guard let rawStatus = fields["status"] else { throw .missingField("status") }
        guard let status = Int(rawStatus) else { throw .invalidField("status", value: rawStatus) }
        let state: Receipt.State
        let word: String
        switch status {
        case 1: state = .delivered; word = "delivered"
        case 2: state = .failed; word = "undeliverable"
        case 4: state = .pending; word = "buffered"
        case 8: state = .pending; word = "accepted by the SMSC"
        case 16: state = .failed; word = "rejected by the SMSC"
        default: throw .invalidField("status", value: rawStatus)
        }
        var reason = "Kannel DLR \(status): \(word)"
        if let answer = fields["answer"], !answer.isEmpty { reason += " (\(answer))" }
        return .receipt(
            Receipt(
                deliveryID: id, state: state, reason: reason,
                phone: fields["to"].map { phone($0, defaultCountry: defaultCountry) }))
    }
}
