import Foundation
import Outreach

extension API {
    /// `GET|POST /v1/receipts/{channel}` of a WhatsApp channel: the subscription handshake (GET,
    /// answered with `hub.challenge`), or a signed webhook (POST, `X-Hub-Signature-256`) whose
    /// statuses are recorded as receipts and whose stop replies suppress the number.
    func whatsAppReceipt(
        _ req: HTTPRequest, channel name: String, auth: any ReceiptCheck, whatsApp: WhatsAppWebhookAuth
    ) throws(APIError) -> Reply {
        if let why = auth.refusal(method: req.method, query: req.query, form: [:], signature: nil) {
            Log.warning("receipt on \(name) refused: \(why)")
            throw APIError(401, why)
        }
        if req.method == "GET" {
            switch whatsApp.challenge(query: req.query) {
            case .success(let challenge): return .now(.text(200, challenge))
            case .failure(let refusal):
                Log.warning("webhook handshake on \(name) refused: \(refusal.message)")
                throw APIError(refusal.status, refusal.message)
            }
        }
        if let why = whatsApp.refusal(body: req.body, signature: req.header("x-hub-signature-256")) {
            Log.warning("receipt on \(name) refused: \(why)")
            throw APIError(401, why)
        }
        let events: [ReceiptEvent]
        do { events = try Receipts.parseWhatsApp(req.body) } catch { throw APIError(400, error.description) }
        var matched = 0
        var unmatched = 0
        var suppressed = 0
        do {
            for event in events {
                switch event {
                case .receipt(let r):
                    if let id = try store.recordReceipt(r, channel: name, now: WallClock.nowMillis()) {
                        Log.info("receipt on \(name): delivery \(id) \(r.state.rawValue)")
                        matched += 1
                    } else {
                        unmatched += 1
                    }
                case .suppression(let s):
                    try store.suppress(address: s.phone, reason: .stop, detail: "WhatsApp reply \(s.keyword)")
                    Log.info("suppressed \(s.phone) after a WhatsApp \(s.keyword) on \(name)")
                    suppressed += 1
                case .ignored:
                    break
                }
            }
        } catch {
            throw internalError(error, "record the receipt")
        }
        return .now(
            .json(
                200,
                [
                    "matched": .number(String(matched)), "unmatched": .number(String(unmatched)),
                    "suppressed": .number(String(suppressed)),
                ]))
    }
}
