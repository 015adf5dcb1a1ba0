import Foundation
import Outreach

extension API {
    /// `POST /v1/receipts/email/{channel}`: an email provider's event webhook (SES through SNS,
    /// SendGrid, Mailgun, Postmark), authenticated and read by the channel's `ProviderWebhook`
    /// (docs/bounces-providers.md); bounces go to the bounce pipeline, deliveries to the queue.
    func providerEvents(_ req: HTTPRequest, channel name: String) throws(APIError) -> Reply {
        let channel = try receiptChannel(name)
        guard let webhook = channel.providerEvents else {
            throw APIError(
                404, "The channel '\(name)' takes no provider events (only an email channel with a provider does).")
        }
        let events: ProviderEvents
        do {
            events = try webhook.events(
                ProviderRequest(headers: req.headerFields, body: req.body), now: WallClock.nowMillis())
        } catch {
            Log.warning("\(webhook.provider.rawValue) webhook on \(name) refused: \(error)")
            // A client that did not send basic auth is told which scheme to use (RFC 9110 11.6.1).
            let challenge = error.status == 401 && webhook.provider == .postmark
            throw APIError(
                error.status, error.description,
                headers: challenge ? [("WWW-Authenticate", "Basic realm=\"outreach\", charset=\"UTF-8\"")] : [])
        }
        if let notice = events.notice { Log.notice("\(webhook.provider.rawValue) webhook on \(name): \(notice)") }
        do {
            let outcome = try webhook.apply(events, sink: bounces, queue: store, now: WallClock.nowMillis())
            if outcome.bounces + outcome.delivered > 0 {
                Log.info(
                    "\(webhook.provider.rawValue) webhook on \(name): \(outcome.bounces) bounce results, "
                        + "\(outcome.delivered) delivered")
            }
            return .now(.json(200, outcome.json))
        } catch {
            throw internalError(error, "apply the provider's events")
        }
    }
}
