import Foundation
import Channels
import Outreach
import Synchronization

/// The HTTP API of `outreachd serve`: routes, and what the handlers share.
final class API: Sendable {
    /// What SIGHUP replaces: settings, tokens, the template index, the channels' shapes.
    struct Live: Sendable {
        var settings: ServerSettings
        var auth: Authenticator
        var templates: TemplateLibrary
        var channels: [String: ChannelInfo] { didSet { firstContactChannels = Self.firstContactChannels(channels) } }
        var defaultCountry: String?
        var defaultLocale: String
        /// Per kind, the contact channel a trigger without `channels` uses: the first by name.
        private(set) var firstContactChannels: [ChannelKind: ChannelInfo]

        init(
            settings: ServerSettings, auth: Authenticator, templates: TemplateLibrary, channels: [String: ChannelInfo],
            defaultCountry: String?, defaultLocale: String
        ) {
            self.settings = settings
            self.auth = auth
            self.templates = templates
            self.channels = channels
            self.defaultCountry = defaultCountry
            self.defaultLocale = defaultLocale
            self.firstContactChannels = Self.firstContactChannels(channels)
        }

        private static func firstContactChannels(_ channels: [String: ChannelInfo]) -> [ChannelKind: ChannelInfo] {
            DefaultChannel.names(channels.values.map { ($0.name, $0.kind, $0.target) }).compactMapValues {
                channels[$0]
            }
        }
    }

    let store: any Store
    let committer: GroupCommitter
    let links: LinkSigner
    let metrics: Metrics
    let limiter = RateLimiter()
    let live: ReadMostly<Live>
    /// Wakes the channel loops after deliveries were written outside the committer.
    let wake: @Sendable (Set<String>) -> Void
    /// Set on SIGTERM: /healthz answers 503 so a load balancer stops sending.
    let draining = Atomic<Bool>(false)
    /// Which channels' endpoints are down, as the workers found them.
    let availability: ChannelAvailability
    /// Whether the store takes writes (a full disk): /healthz answers 503 while it does not.
    let storeHealth: StoreHealth
    /// The template folder as it is now: looked at, at most once a second, before a request reads `snapshot`.
    let templateWatch: LiveTemplates?
    /// Where provider webhooks' bounces go (the bounce pipeline).
    let bounces: any BounceSink

    init(
        store: any Store, dataDirectory: String, committer: GroupCommitter, links: LinkSigner, metrics: Metrics,
        live: Live, bounces: any BounceSink,
        availability: ChannelAvailability = ChannelAvailability(), templateWatch: LiveTemplates? = nil,
        wake: @escaping @Sendable (Set<String>) -> Void
    ) {
        self.templateWatch = templateWatch
        self.bounces = bounces
        self.availability = availability
        self.store = store
        self.committer = committer
        self.links = links
        self.metrics = metrics
        self.live = ReadMostly(live)
        self.wake = wake
        self.storeHealth = StoreHealth(directory: dataDirectory)
    }

    var snapshot: Live {
        templateWatch?.poll()
        return live.read()
    }

    /// `Retry-After` when the disk is full: long enough not to hammer it, short enough to resume soon.
    static let storageRetryAfterSeconds = 30

    static let router: Router = {
        var r = Router()
        r.add(["POST"], "/v1/messages") { api, req, _ throws(APIError) in try api.postMessage(req) }
        r.add(["GET"], "/v1/messages/{id}") { api, req, p throws(APIError) in try api.getMessage(req, id: p["id"]!) }
        r.add(["POST"], "/v1/lists/{list}/subscribe") { api, req, p throws(APIError) in
            try api.subscribe(req, list: p["list"]!)
        }
        r.add(["OPTIONS"], "/v1/lists/{list}/subscribe") { api, req, _ throws(APIError) in
            api.subscribePreflight(req)
        }
        r.add(["GET"], "/confirm/{token}") { api, req, p throws(APIError) in api.confirmPage(req, token: p["token"]!) }
        r.add(["POST"], "/confirm/{token}") { api, req, p throws(APIError) in api.confirm(req, token: p["token"]!) }
        r.add(["GET"], "/unsubscribe/{token}") { api, req, p throws(APIError) in
            api.unsubscribePage(req, token: p["token"]!)
        }
        r.add(["POST"], "/unsubscribe/{token}") { api, req, p throws(APIError) in
            api.unsubscribe(req, token: p["token"]!)
        }
        r.add(["GET"], "/preferences/{token}") { api, req, p throws(APIError) in
            api.preferencesPage(req, token: p["token"]!)
        }
        r.add(["POST"], "/preferences/{token}") { api, req, p throws(APIError) in
            api.updatePreferences(req, token: p["token"]!)
        }
        r.add(["GET", "POST"], "/v1/receipts/{channel}") { api, req, p throws(APIError) in
            try api.receipt(req, channel: p["channel"]!)
        }
        r.add(["POST"], "/v1/receipts/email/{channel}") { api, req, p throws(APIError) in
            try api.providerEvents(req, channel: p["channel"]!)
        }
        r.add(["GET"], "/healthz") { api, _, _ throws(APIError) in api.health() }
        r.add(["GET"], "/metrics") { api, _, _ throws(APIError) in api.metricsPage() }
        return r
    }()

    /// Routes a request; counts the status of every answer.
    func handle(_ request: HTTPRequest) -> Reply {
        switch Self.router.route(request, for: self) {
        case .now(let r):
            metrics.countRequest(status: r.status)
            return .now(r)
        case .later(let start):
            return .later { [metrics] responder in
                start(
                    Responder { make in
                        responder.send {
                            let r = make()
                            metrics.countRequest(status: r.status)
                            return r
                        }
                    })
            }
        }
    }

    /// Store failures the client cannot fix: logged, answered 500 without details — except a disk
    /// that is full or failing: 503 with `Retry-After`, since the same request succeeds once an
    /// operator has made room, and /healthz reports it meanwhile.
    func internalError(_ error: any Error, _ what: String) -> APIError {
        Log.error("\(what): \(error)")
        if let unavailable = StorageUnavailable(error) {
            storeHealth.failed(unavailable)
            return APIError(
                503, "The server could not \(what): \(unavailable.reason); try again later.",
                headers: [("Retry-After", String(Self.storageRetryAfterSeconds))])
        }
        return APIError(500, "The server could not \(what); the error was logged.")
    }
}

/// What the API needs to know about a configured channel.
struct ChannelInfo: Sendable {
    var name: String
    var kind: ChannelKind
    var target: ChannelTarget
    /// For chat channels that post to each contact: the contact attribute holding the address.
    var addressAttribute: String? = nil
    var section: ConfigSection
    /// For channels with `preset = "kannel"` or `"twilio"`: how their receipts are authenticated.
    var receipts: (any ReceiptCheck)?
    /// For email channels with a `provider`: its event webhook.
    var providerEvents: ProviderWebhook? = nil
}
