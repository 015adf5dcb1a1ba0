import Outreach

/// Turns an HTTP result into a delivery outcome: 2xx sent; 408, 429 and 5xx, timeouts and
/// connection failures transient (honouring `Retry-After`); other statuses permanent.
enum HTTPOutcome {
    static func classify(
        _ result: Result<HTTPClientResponse, HTTPClientError>, peer: String,
        providerID: (HTTPClientResponse) -> String? = { _ in nil }
    ) -> DeliveryOutcome {
        switch result {
        case .failure(.invalidRequest(_, let message)):
            return .permanent("\(peer): \(message)")
        case .failure(let error) where error.isUnreachable:
            return .unreachable("\(peer): \(error.description)")
        case .failure(let error):
            return .transient("\(peer): \(error.description)")
        case .success(let response):
            if (200..<300).contains(response.status) { return .sent(providerID: providerID(response)) }
            let message = "\(peer) answered HTTP \(response.status)" + snippet(response)
            // A gateway or proxy in front of the peer says the peer is down: the channel waits and
            // probes (a Retry-After here would only pace the attempts each message spends). Not
            // 504: the origin may have acted on the request, so it must spend an attempt.
            if [502, 503].contains(response.status) { return .unreachable(message, peerAnswered: true) }
            if isTransient(response.status) {
                return .transient(message, retryAfter: response.retryAfter() ?? bodyRetryAfter(response))
            }
            return .permanent(message)
        }
    }

    static func isTransient(_ status: Int) -> Bool {
        status == 408 || status == 425 || status == 429 || status >= 500
    }

    /// The start of the body, on one line, for the delivery's last error.
    static func snippet(_ response: HTTPClientResponse) -> String {
        let text = response.text.split(whereSeparator: \.isNewline).joined(separator: " ")
        if text.isEmpty { return "" }
        return ": " + (text.count > 200 ? String(text.prefix(200)) + "…" : text)
    }

    /// Telegram (`parameters.retry_after`), Discord (`retry_after`) and Matrix (`retry_after_ms`)
    /// say how long to wait in the JSON body.
    static func bodyRetryAfter(_ response: HTTPClientResponse) -> Double? {
        guard let json = try? JSON.parse(response.body) else { return nil }
        func number(_ j: JSON?) -> Double? {
            if case .number(let n)? = j { return Double(n) }
            return nil
        }
        if let s = number(json["retry_after"]) ?? number(json["parameters"]?["retry_after"]) { return s }
        if let ms = number(json["retry_after_ms"]) { return ms / 1000 }
        return nil
    }

    /// A string or number member of a JSON response body.
    static func jsonField(_ response: HTTPClientResponse, _ path: String...) -> String? {
        guard var j = try? JSON.parse(response.body) else { return nil }
        for key in path {
            if let i = Int(key), let a = j.arrayValue { guard i < a.count else { return nil }; j = a[i]; continue }
            guard let next = j[key] else { return nil }
            j = next
        }
        switch j {
        case .string(let s): return s
        case .number(let n): return n
        default: return nil
        }
    }
}
