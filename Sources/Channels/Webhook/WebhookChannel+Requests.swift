import Outreach

extension WebhookChannel {
    /// The HTTP request for one message, signed for `timestamp` when a secret is configured.
    func request(for message: OutgoingMessage, timestamp: Int) throws(WebhookError) -> HTTPClientRequest {
        let address: String?
        if target == .contact {
            guard !message.address.isEmpty else { throw .noAddress(attribute: addressAttribute ?? "address") }
            address = message.address
        } else {
            address = room
        }
        if let max = preset.maxTextLength, message.text.count > max {
            throw .tooLong(service: preset.rawValue, length: message.text.count, maximum: max)
        }
        var requestURL = url
        var httpMethod = method
        var body: [UInt8]
        var type = WebhookContentType.json
        switch preset {
        case .slack, .mattermost:
            var o: [String: JSON] = ["text": .string(message.text)]
            if let address { o["channel"] = .string(address) }
            if let username { o["username"] = .string(username) }
            body = Array(JSON.object(o).serialized.utf8)
        case .discord:
            var o: [String: JSON] = ["content": .string(message.text)]
            if let username { o["username"] = .string(username) }
            body = Array(JSON.object(o).serialized.utf8)
        case .teams:
            body = Array(Self.adaptiveCard(message).serialized.utf8)
        case .telegram:
            requestURL = trimmedURL + "/bot" + (token ?? "") + "/sendMessage"
            body = Array(
                JSON.object(["chat_id": .string(address ?? ""), "text": .string(message.text)]).serialized.utf8)
        case .matrix:
            requestURL =
                trimmedURL + "/_matrix/client/v3/rooms/" + HTTPForm.escape(address ?? "")
                + "/send/m.room.message/" + String(message.deliveryID)
            httpMethod = "PUT"
            var o: [String: JSON] = ["msgtype": "m.text", "body": .string(message.text)]
            if let html = message.html {
                o["format"] = "org.matrix.custom.html"
                o["formatted_body"] = .string(html)
            }
            body = Array(JSON.object(o).serialized.utf8)
        case .generic:
            requestURL = url.replacingOccurrences(of: "{address}", with: HTTPForm.escape(address ?? ""))
                .replacingOccurrences(of: "{delivery_id}", with: String(message.deliveryID))
            type = contentType
            body = try genericBody(message, address: address)
        }
        var headers: [(name: String, value: String)] = []
        if httpMethod != "GET" { headers.append(("Content-Type", type.mimeType)) }
        if preset == .matrix, let token { headers.append(("Authorization", "Bearer " + token)) }
        headers = headers.merged(with: settings.headers)
        headers += settings.webhookHeaders(id: message.deliveryID, body: body, timestamp: timestamp)
        if httpMethod == "GET" {
            // A GET carries its fields in the query string instead of a body.
            if !body.isEmpty {
                requestURL += (requestURL.contains("?") ? "&" : "?") + String(decoding: body, as: UTF8.self)
            }
            body = []
        }
        return HTTPClientRequest(method: httpMethod, url: requestURL, headers: headers, body: body)
    }

    var trimmedURL: String {
        var u = Substring(url)
        while u.hasSuffix("/") { u.removeLast() }
        return String(u)
    }

    /// The rendered `chat.<locale>.json` template as sent: JSON as is (after checking it parses),
    /// or for form bodies a flat JSON object whose members become the form fields.
    func genericBody(_ message: OutgoingMessage, address: String?) throws(WebhookError) -> [UInt8] {
        let json: JSON
        if let body = message.body {
            do throws(JSONError) { json = try JSON.parse(body) } catch {
                throw .invalidBody("it is not JSON (\(error.description))")
            }
        } else {
            var o: [String: JSON] = ["text": .string(message.text), "delivery_id": .string(String(message.deliveryID))]
            if let address { o["address"] = .string(address) }
            if let s = message.subject { o["subject"] = .string(s) }
            json = .object(o)
        }
        let formEncoded = contentType == .form || method == "GET"
        guard formEncoded else { return message.body.map { Array($0.utf8) } ?? Array(json.serialized.utf8) }
        guard let object = json.objectValue else { throw .invalidBody("a form body needs a JSON object of fields") }
        var fields: [(name: String, value: String)] = []
        for key in object.keys.sorted() {
            switch object[key]! {
            case .string(let s): fields.append((key, s))
            case .number(let n): fields.append((key, n))
            case .bool(let b): fields.append((key, b ? "true" : "false"))
            case .null: fields.append((key, ""))
            case .array, .object: throw .invalidBody("the form field '\(key)' is not a string, number or boolean")
            }
        }
        return Array(HTTPForm.encode(fields).utf8)
    }

    /// A Teams message with one Adaptive Card: the subject in bold (when there is one), then the text.
    static func adaptiveCard(_ message: OutgoingMessage) -> JSON {
        var blocks: [JSON] = []
        if let subject = message.subject, !subject.isEmpty {
            blocks.append([
                "type": "TextBlock", "text": .string(subject), "weight": "Bolder", "size": "Medium", "wrap": true,
            ])
        }
        blocks.append(["type": "TextBlock", "text": .string(message.text), "wrap": true])
        let card: JSON = [
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "type": "AdaptiveCard", "version": "1.4", "body": .array(blocks),
        ]
        return [
            "type": "message",
            "attachments": [["contentType": "application/vnd.microsoft.card.adaptive", "content": card]],
        ]
    }
}
