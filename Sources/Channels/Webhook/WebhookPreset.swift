/// The chat services a `webhook` channel knows how to post to.
public enum WebhookPreset: String, Sendable, CaseIterable {
    /// Slack incoming webhook: `POST url {"text": …}`.
    case slack
    /// Mattermost incoming webhook: `POST url {"text": …, "channel": …}`.
    case mattermost
    /// Discord webhook: `POST url {"content": …}`.
    case discord
    /// Microsoft Teams incoming webhook (Workflows): `POST url` with an Adaptive Card.
    case teams
    /// Telegram Bot API: `POST {url}/bot{token}/sendMessage {"chat_id": …, "text": …}`.
    case telegram
    /// Matrix client-server API: `PUT {url}/_matrix/client/v3/rooms/{room}/send/m.room.message/{delivery id}`.
    case matrix
    /// Any HTTP endpoint: configured method, headers and content type; the body is the rendered `chat.<locale>.json`.
    case generic

    /// The longest text the service takes in one message, where it has a hard limit.
    var maxTextLength: Int? {
        switch self {
        case .discord: return 2000
        case .telegram: return 4096
        default: return nil
        }
    }
}
