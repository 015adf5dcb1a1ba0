import Outreach

extension SMSChannel {
    /// The gateway request for one message.
    func request(for message: OutgoingMessage, timestamp: Int) throws(SMSSendError) -> HTTPClientRequest {
        let number: String
        do throws(PhoneNumberError) {
            number = try PhoneNumber.normalize(message.address, defaultCountry: defaultCountry)
        } catch {
            throw .number(error)
        }
        if preset == .whatsapp { return try whatsAppRequest(for: message, number: number, timestamp: timestamp) }
        if message.text.isEmpty { throw .empty }
        let analysis: SMSAnalysis
        do throws(SMSTextError) { analysis = try check(message.text) } catch { throw .text(error) }
        let id = String(message.deliveryID)
        switch preset {
        case .twilio:
            var fields: [(name: String, value: String)] = [("To", number)]
            if let messagingServiceSID { fields.append(("MessagingServiceSid", messagingServiceSID)) }
            if let from { fields.append(("From", from)) }
            fields.append(("Body", message.text))
            if let receiptURL { fields.append(("StatusCallback", receiptURL)) }
            let base = url.hasSuffix("/") ? String(url.dropLast()) : url
            let sid = user ?? ""
            return finish(
                HTTPClientRequest(
                    method: "POST", url: base + "/2010-04-01/Accounts/" + HTTPForm.escape(sid) + "/Messages.json",
                    basicAuth: (sid, password ?? "")),
                fields: fields, type: .form, id: message.deliveryID, timestamp: timestamp)
        case .vonage:
            // Vonage wants the number without "+"; "type=unicode" sends UCS-2.
            var fields: [(name: String, value: String)] = [
                ("api_key", user ?? ""), ("api_secret", password ?? ""), ("from", from ?? ""),
                ("to", String(number.dropFirst())), ("text", message.text),
                ("type", analysis.encoding == .ucs2 ? "unicode" : "text"), ("client-ref", id),
            ]
            if let receiptURL { fields.append(("callback", receiptURL)) }
            return finish(
                HTTPClientRequest(method: "POST", url: url), fields: fields, type: contentType,
                id: message.deliveryID, timestamp: timestamp)
        case .kannel:
            var fields: [(name: String, value: String)] = [("username", user ?? ""), ("password", password ?? "")]
            if let from { fields.append(("from", from)) }
            fields += [
                ("to", number), ("text", message.text), ("charset", "UTF-8"),
                ("coding", analysis.encoding == .ucs2 ? "2" : "0"),
            ]
            if let receiptURL {
                fields += [
                    ("dlr-mask", String(dlrMask)),
                    ("dlr-url", receiptURL + (receiptURL.contains("?") ? "&" : "?") + "id=" + id + "&status=%d"),
                ]
            }
            let query = HTTPForm.encode(fields)
            let request = HTTPClientRequest(
                method: "GET", url: url + (url.contains("?") ? "&" : "?") + query,
                headers: settings.headers
                    + settings.webhookHeaders(id: message.deliveryID, body: [], timestamp: timestamp))
            return request
        case .whatsapp:
            preconditionFailure("a WhatsApp request is built by whatsAppRequest, above")
        case .generic:
            var fields: [(name: String, value: String)] = [("to", number)]
            if let from { fields.append(("from", from)) }
            fields += [
                ("text", message.text), ("encoding", analysis.encoding.rawValue),
                ("segments", String(analysis.segments)), ("id", id),
            ]
            if let receiptURL { fields.append(("receipt_url", receiptURL)) }
            return finish(
                HTTPClientRequest(method: "POST", url: url), fields: fields, type: contentType,
                id: message.deliveryID, timestamp: timestamp)
        }
    }

    /// Encodes the fields as the body and adds content type, configured headers and webhook headers.
    private func finish(
        _ request: HTTPClientRequest, fields: [(name: String, value: String)], type: WebhookContentType,
        id: Int64, timestamp: Int
    ) -> HTTPClientRequest {
        var r = request
        switch type {
        case .form:
            r.body = Array(HTTPForm.encode(fields).utf8)
        case .json:
            var o: [String: JSON] = [:]
            for f in fields { o[f.name] = f.name == "segments" ? .number(f.value) : .string(f.value) }
            r.body = Array(JSON.object(o).serialized.utf8)
        }
        r.headers =
            [("Content-Type", type.mimeType)].merged(with: settings.headers)
            + settings.webhookHeaders(id: id, body: r.body, timestamp: timestamp)
        return r
    }
}
