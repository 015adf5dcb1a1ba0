import Outreach

extension SMSChannel {
    /// The Cloud API request for one message: the approved template the template's front matter
    /// names (with its body parameters), else free text, which WhatsApp delivers only within 24
    /// hours of the person's last message to the business.
    func whatsAppRequest(for message: OutgoingMessage, number: String, timestamp: Int) throws(SMSSendError)
        -> HTTPClientRequest
    {
        var o: [String: JSON] = [
            "messaging_product": "whatsapp", "recipient_type": "individual", "to": .string(String(number.dropFirst())),
        ]
        if let t = message.approvedTemplate {
            var template: [String: JSON] = ["name": .string(t.name), "language": ["code": .string(t.language)]]
            if !t.parameters.isEmpty {
                var parameters: [JSON] = []
                for (i, p) in t.parameters.enumerated() {
                    let text = Self.whatsAppParameter(p)
                    guard !text.isEmpty else {
                        throw .whatsApp(
                            "Parameter \(i + 1) of the WhatsApp template \(t.name) is empty; WhatsApp refuses empty "
                                + "parameters, so give the value the template's whatsapp_params names.")
                    }
                    parameters.append(["type": "text", "text": .string(text)])
                }
                template["components"] = [["type": "body", "parameters": .array(parameters)]]
            }
            o["type"] = "template"
            o["template"] = .object(template)
        } else {
            if message.text.isEmpty { throw .empty }
            guard message.text.count <= Self.whatsAppTextLimit else {
                throw .whatsApp(
                    "The WhatsApp text has \(message.text.count) characters; at most "
                        + "\(Self.whatsAppTextLimit) are allowed.")
            }
            o["type"] = "text"
            o["text"] = ["body": .string(message.text)]
        }
        var r = HTTPClientRequest(
            method: "POST", url: whatsAppBase + "/" + (user ?? "") + "/messages",
            body: Array(JSON.object(o).serialized.utf8))
        r.headers =
            [("Content-Type", "application/json"), ("Authorization", "Bearer " + (password ?? ""))].merged(
                with: settings.headers)
            + settings.webhookHeaders(id: message.deliveryID, body: r.body, timestamp: timestamp)
        return r
    }

    var whatsAppBase: String { url.hasSuffix("/") ? String(url.dropLast()) : url }

    /// The longest free text the Cloud API takes.
    static let whatsAppTextLimit = 4096

    /// A template parameter as WhatsApp takes it: no new lines or tabs, at most four spaces in a row
    /// (otherwise it refuses the message with error 132018).
    static func whatsAppParameter(_ value: String) -> String {
        var out = ""
        var spaces = 0
        for c in value {
            let ch: Character = c.isNewline || c == "\t" ? " " : c
            if ch == " " {
                spaces += 1
                if spaces > 1 { continue }
            } else {
                spaces = 0
            }
            out.append(ch)
        }
        return out.trimmingSpaces
    }

    /// Classifies a Cloud API answer: `{"messages": [{"id": "wamid…"}]}` on success; an error's
    /// `{"error": {"code": 131026, "message": …}}` names why.
    func whatsAppOutcome(_ result: Result<HTTPClientResponse, HTTPClientError>, peer: String) -> DeliveryOutcome {
        if case .success(let r) = result, (400..<500).contains(r.status), r.status != 429 {
            let code = HTTPOutcome.jsonField(r, "error", "code")
            let message = HTTPOutcome.jsonField(r, "error", "message") ?? r.text
            return .permanent(
                "\(peer) answered HTTP \(r.status): \(message)" + (code.map { " (error \($0))" } ?? ""),
                suppress: Receipts.whatsAppNumberErrors.contains(code ?? ""))
        }
        return HTTPOutcome.classify(result, peer: peer) { HTTPOutcome.jsonField($0, "messages", "0", "id") }
    }
}
