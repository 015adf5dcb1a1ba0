import Foundation
import Outreach

extension API {
    /// `POST|GET /v1/receipts/{channel}`: a gateway's delivery report (Kannel DLR, Twilio status
    /// callback) or an inbound STOP. With `receipt_token` in the channel's section, the callback
    /// URL must carry `?token=` with that value.
    func receipt(_ req: HTTPRequest, channel name: String) throws(APIError) -> Reply {
        let live = snapshot
        guard let channel = live.channels[name] else { throw APIError(404, "There is no channel named '\(name)'.") }
        let preset: String
        let token: String?
        do {
            preset = try channel.section.string("preset") ?? ""
            token = try channel.section.secret("receipt_token")
        } catch {
            throw internalError(error, "read the channel's settings")
        }
        guard ["kannel", "twilio"].contains(preset) else {
            throw APIError(404, "The channel '\(name)' takes no receipts (only kannel and twilio presets do).")
        }
        if let token {
            guard let given = req.query["token"], Crypto.constantTimeEqual(Array(given.utf8), Array(token.utf8)) else {
                throw APIError(401, "token: the receipt URL's token does not match the channel's receipt_token")
            }
        }
        var fields = req.query
        fields["token"] = nil
        if req.method == "POST" {
            guard req.body.isEmpty || req.mediaType == "application/x-www-form-urlencoded" else {
                throw APIError(415, "Content-Type: must be application/x-www-form-urlencoded, not \(req.header("content-type") ?? "missing")")
            }
            fields.merge(Receipts.formFields(String(decoding: req.body, as: UTF8.self))) { $1 }
        }
        let event: ReceiptEvent
        do { event = try Receipts.parse(preset: preset, fields: fields, defaultCountry: live.defaultCountry) } catch {
            throw APIError(400, error.description)
        }
        do {
            switch event {
            case .receipt(let r):
                let id = try store.recordReceipt(r, channel: name, now: Clock.nowMillis())
                if let id { Log.info("receipt on \(name): delivery \(id) \(r.state.rawValue)") }
                return .now(.json(200, ["matched": .bool(id != nil), "state": .string(r.state.rawValue)]))
            case .suppression(let s):
                try store.suppress(address: s.phone, reason: .unsubscribed, detail: "SMS reply \(s.keyword)")
                Log.info("suppressed \(s.phone) after an SMS \(s.keyword) on \(name)")
                return .now(.json(200, ["suppressed": .string(s.phone)]))
            case .ignored(let why):
                return .now(.json(200, ["ignored": .string(why)]))
            }
        } catch {
            throw internalError(error, "record the receipt")
        }
    }
}
