import Channels
import Foundation
import Outreach

extension API {
    /// `POST|GET /v1/receipts/{channel}`: a gateway's delivery report (Kannel DLR, Twilio status
    /// callback) or an inbound STOP, authenticated by `SMSReceiptAuth` (the URL's `?token=`,
    /// Twilio's signature).
    func receipt(_ req: HTTPRequest, channel name: String) throws(APIError) -> Reply {
        let live = snapshot
        let channel = try receiptChannel(name, in: live)
        guard let auth = channel.receipts, let preset = try? channel.section.string("preset") else {
            throw APIError(
                404, "The channel '\(name)' takes no receipts (only kannel, twilio and whatsapp presets do).")
        }
        if let whatsApp = auth.whatsApp {
            return try whatsAppReceipt(req, channel: name, auth: auth, whatsApp: whatsApp)
        }
        var form: [String: String] = [:]
        if req.method == "POST" {
            guard req.body.isEmpty || req.mediaType == "application/x-www-form-urlencoded" else {
                throw APIError(
                    415,
                    "Content-Type: must be application/x-www-form-urlencoded, not \(req.header("content-type") ?? "missing")"
                )
            }
            form = Receipts.formFields(String(decoding: req.body, as: UTF8.self))
        }
        if let why = auth.refusal(
            method: req.method, query: req.query, form: form, signature: req.header("x-twilio-signature"))
        {
            Log.warning("receipt on \(name) refused: \(why)")
            throw APIError(401, why)
        }
        var fields = req.query
        fields["token"] = nil
        fields.merge(form) { $1 }
        let event: ReceiptEvent
        do { event = try Receipts.parse(preset: preset, fields: fields, defaultCountry: live.defaultCountry) } catch {
            throw APIError(400, error.description)
        }
        do {
            switch event {
            case .receipt(let r):
                let id = try store.recordReceipt(r, channel: name, now: WallClock.nowMillis())
                if let id { Log.info("receipt on \(name): delivery \(id) \(r.state.rawValue)") }
                return .now(.json(200, ["matched": .bool(id != nil), "state": .string(r.state.rawValue)]))
            case .suppression(let s):
                try store.suppress(address: s.phone, reason: .stop, detail: "SMS reply \(s.keyword)")
                Log.info("suppressed \(s.phone) after an SMS \(s.keyword) on \(name)")
                return .now(inbound(preset, ["suppressed": .string(s.phone)]))
            case .ignored(let why):
                return .now(inbound(preset, ["ignored": .string(why)]))
            }
        } catch {
            throw internalError(error, "record the receipt")
        }
    }

    /// The channel a receipt or provider event names; 404 when there is none.
    func receiptChannel(_ name: String, in live: Live? = nil) throws(APIError) -> ChannelInfo {
        guard let channel = (live ?? snapshot).channels[name] else {
            throw APIError(404, "There is no channel named '\(name)'.")
        }
        return channel
    }

    /// The answer to an inbound message. Twilio reads it as TwiML, what to reply: an empty
    /// `<Response/>` replies nothing (JSON would be logged as error 12300 in Twilio's console).
    private func inbound(_ preset: String, _ json: [String: JSON]) -> HTTPResponse {
        guard preset == "twilio" else { return .json(200, .object(json)) }
        return .text(
            200, "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response></Response>",
            contentType: "text/xml; charset=utf-8")
    }
}
