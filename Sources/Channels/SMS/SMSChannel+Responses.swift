import Outreach

extension SMSChannel {
    /// Classifies a gateway answer; gateways that answer 200 with an error inside are read closer.
    func outcome(_ result: Result<HTTPClientResponse, HTTPClientError>) -> DeliveryOutcome {
        let peer = "\(preset.rawValue) gateway \(name)"
        switch preset {
        case .twilio:
            if case .success(let r) = result, (400..<500).contains(r.status), r.status != 429 {
                // {"code": 21211, "message": "The 'To' number … is not a valid phone number."}
                let code = HTTPOutcome.jsonField(r, "code")
                let message = HTTPOutcome.jsonField(r, "message") ?? r.text
                return .permanent(
                    "\(peer) answered HTTP \(r.status): \(message)" + (code.map { " (error \($0))" } ?? ""),
                    suppress: SMSChannel.twilioNumberErrors.contains(code ?? ""))
            }
            return HTTPOutcome.classify(result, peer: peer) { HTTPOutcome.jsonField($0, "sid") }
        case .vonage:
            guard case .success(let r) = result, (200..<300).contains(r.status) else {
                return HTTPOutcome.classify(result, peer: peer)
            }
            let status = HTTPOutcome.jsonField(r, "messages", "0", "status") ?? "?"
            if status == "0" { return .sent(providerID: HTTPOutcome.jsonField(r, "messages", "0", "message-id")) }
            let text =
                "\(peer) refused the message: status \(status), "
                + (HTTPOutcome.jsonField(r, "messages", "0", "error-text") ?? r.text)
            // 1 throttled, 5 internal error, 9 quota exceeded: later may work. 7 barred, 33 deactivated: the number is gone.
            if ["1", "5", "9"].contains(status) { return .transient(text, retryAfter: status == "1" ? 1 : nil) }
            return .permanent(text, suppress: ["7", "33"].contains(status))
        case .whatsapp:
            return whatsAppOutcome(result, peer: peer)
        case .kannel, .generic:
            return HTTPOutcome.classify(result, peer: peer) { r in
                HTTPOutcome.jsonField(r, "id") ?? HTTPOutcome.jsonField(r, "message_id")
                    ?? HTTPOutcome.jsonField(r, "sid")
            }
        }
    }

    /// Twilio errors that mean the number cannot receive: invalid, unsubscribed (STOP), not a mobile.
    static let twilioNumberErrors: Set<String> = ["21211", "21214", "21610", "21614"]
}
