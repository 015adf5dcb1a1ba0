import Foundation
import Outreach

/// Posts a hook's events (`[hooks.NAME]`) to its URL: the body `HookComposer` built, as JSON,
/// signed the Standard Webhooks way with `webhook-id` = the event's id, the same on every attempt.
///
/// A receiver's answer is read the way Standard Webhooks asks: 2xx is delivered; 410 Gone ends
/// the delivery (dead); 502 and 503 say the receiver is down (the channel waits and probes);
/// anything else, a 4xx included, is tried again on the hook's backoff until `max_attempts`.
public final class HookChannel: Channel {
    public let name: String
    public let hook: Hook
    public var kind: ChannelKind { .chat }
    public var target: ChannelTarget { .room }
    public var batchSize: Int { settings.batchSize }
    public var inFlightLimit: Int? { settings.options.maxConnections }
    /// The most posts `serve` hands over at once: `batch_size`, else the connections (a crash
    /// repeats at most a batch), as for a channel (`ChannelSchedule.batchCap`).
    public let batchCap: Int

    let settings: HTTPChannelSettings
    let client: HTTPClient
    /// Seconds since 1970 for `webhook-timestamp`; a parameter so tests can sign for a fixed time.
    let clock: @Sendable () -> Int

    /// Reads the HTTP settings of the hook's table (`timeout`, `max_connections`, `ca_file`,
    /// `tls_verify`, `headers`, `batch_size`); `Hook` read the rest.
    public init(
        hook: Hook, section: ConfigSection, clock: @escaping @Sendable () -> Int = { Int(Date().timeIntervalSince1970) }
    ) throws(ConfigError) {
        self.hook = hook
        name = hook.channel
        self.clock = clock
        settings = try HTTPChannelSettings(section)
        batchCap = section.has("batch_size") ? settings.batchSize : settings.options.maxConnections
        client = HTTPClient(options: settings.options)
    }

    /// The request for one event, signed for `timestamp`.
    func request(for message: OutgoingMessage, timestamp: Int) -> HTTPClientRequest {
        let body = Array((message.body ?? "").utf8)
        let id = message.webhookID ?? String(message.deliveryID)
        let headers =
            [(name: "Content-Type", value: "application/json")].merged(with: settings.headers)
            + hook.signer.headers(id: id, timestamp: timestamp, body: body)
        return HTTPClientRequest(method: "POST", url: hook.url, headers: headers, body: body)
    }

    public func send(_ batch: [OutgoingMessage]) -> [DeliveryOutcome] {
        let now = clock()
        let peer = "hook \(hook.name)"
        let results = client.perform(batch.map { request(for: $0, timestamp: now) })
        return results.map { Self.outcome($0, peer: peer) }
    }

    /// `HTTPOutcome`'s reading, but for a refusal: only 410 Gone is final.
    static func outcome(_ result: Result<HTTPClientResponse, HTTPClientError>, peer: String) -> DeliveryOutcome {
        let outcome = HTTPOutcome.classify(result, peer: peer)
        if case .success(let response) = result, case .permanent(let why, _) = outcome, response.status != 410 {
            return .transient(why, retryAfter: response.retryAfter())
        }
        return outcome
    }

    public func close() { client.close() }
    public func probe() -> String? { client.probe(hook.url) }
}

extension ChannelFactory {
    /// The hook `[hooks.NAME]` and the channel that posts its events, built as `serve` builds
    /// them: a setting nothing reads (a typo, a channel's `rate`) is refused.
    public static func makeHook(name: String, section: ConfigSection) throws -> HookChannel {
        let channel = try HookChannel(hook: try Hook(name: name, section: section), section: section)
        try section.refuseUnreadKeys()
        return channel
    }

    /// Every configured hook's channel, by hook name order.
    public static func makeHooks(_ config: Config) throws -> [HookChannel] {
        try config.hooks.sorted(by: { $0.key < $1.key }).map { try makeHook(name: $0.key, section: $0.value) }
    }
}
