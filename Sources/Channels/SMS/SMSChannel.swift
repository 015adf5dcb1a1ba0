import Foundation
import Outreach

/// Sends text messages through an SMS gateway's HTTP API.
///
/// Numbers are normalised to E.164 with `default_country`; the alphabet (GSM-7 or UCS-2) and
/// the segment count come from the text before anything is sent.
public final class SMSChannel: Channel {
    public let name: String
    public var kind: ChannelKind { .sms }
    public let preset: SMSPreset
    /// ISO 3166 alpha-2 country for numbers written without a calling code.
    public let defaultCountry: String?
    /// Texts needing more segments are refused (`max_segments`).
    public let maxSegments: Int?
    public var batchSize: Int { settings.batchSize }
    public var inFlightLimit: Int? { settings.options.maxConnections }
    /// Kannel, Twilio and WhatsApp post delivery receipts back; the other presets take none.
    public var receipts: (any ReceiptCheck)? { [.kannel, .twilio, .whatsapp].contains(preset) ? receiptAuth : nil }

    let url: String
    let from: String?
    /// Twilio account SID / Vonage API key / Kannel username / WhatsApp phone number id.
    let user: String?
    /// Twilio auth token / Vonage API secret / Kannel password / WhatsApp access token.
    let password: String?
    let messagingServiceSID: String?
    let contentType: WebhookContentType
    let dlrMask: Int
    /// Where gateways post receipts: `{public_url}/v1/receipts/{channel}`, with `?token=` when set.
    let receiptURL: String?
    let receiptAuth: SMSReceiptAuth
    let settings: HTTPChannelSettings
    let client: HTTPClient
    let clock: @Sendable () -> Int

    /// `[channels.NAME] type = "sms"`; see docs/channels.md for every key.
    public convenience init(name: String, section: ConfigSection, config: Config) throws(ConfigError) {
        try self.init(name: name, section: section, publicURL: config.publicURL)
    }

    public init(
        name: String, section: ConfigSection, publicURL: String?,
        clock: @escaping @Sendable () -> Int = { Int(Date().timeIntervalSince1970) }
    ) throws(ConfigError) {
        self.name = name
        self.clock = clock
        let presetName = try section.string("preset") ?? "generic"
        guard let preset = SMSPreset(rawValue: presetName) else {
            throw section.invalid(
                "preset", "must be one of " + SMSPreset.allCases.map(\.rawValue).joined(separator: ", "))
        }
        self.preset = preset
        settings = try HTTPChannelSettings(section)
        defaultCountry = try section.string("default_country")
        if let c = defaultCountry, !PhoneNumber.knowsCountry(c) {
            throw section.invalid("default_country", "\"\(c)\" is not a known ISO 3166 alpha-2 country code (e.g. DK)")
        }
        maxSegments = try section.int("max_segments")
        if let m = maxSegments, m < 1 { throw section.invalid("max_segments", "must be at least 1") }
        from = try section.string("from")
        if let f = from, let why = SMSChannel.senderProblem(f) { throw section.invalid("from", why) }
        messagingServiceSID = try section.string("messaging_service_sid")
        dlrMask = try section.int("dlr_mask") ?? 31
        let ct = try section.string("content_type") ?? "json"
        guard let contentType = WebhookContentType(rawValue: ct) else {
            throw section.invalid("content_type", "must be json or form")
        }
        self.contentType = contentType
        receiptAuth = try SMSReceiptAuth(name: name, section: section, publicURL: publicURL)
        receiptURL = receiptAuth.callbackURL
        switch preset {
        case .twilio:
            url = try section.string("url") ?? "https://api.twilio.com"
            user = try section.requireString("account_sid")
            guard let token = try section.secret("auth_token") else {
                throw .missing(file: section.file, section: section.name, key: "auth_token_file")
            }
            password = token
            if from == nil, messagingServiceSID == nil {
                throw .missing(file: section.file, section: section.name, key: "from")
            }
        case .vonage:
            url = try section.string("url") ?? "https://rest.nexmo.com/sms/json"
            user = try section.requireString("api_key")
            guard let secret = try section.secret("api_secret") else {
                throw .missing(file: section.file, section: section.name, key: "api_secret_file")
            }
            password = secret
            if from == nil { throw .missing(file: section.file, section: section.name, key: "from") }
        case .kannel:
            url = try section.requireString("url")
            user = try section.requireString("username")
            guard let p = try section.secret("password") else {
                throw .missing(file: section.file, section: section.name, key: "password_file")
            }
            password = p
        case .whatsapp:
            url = try section.string("url") ?? "https://graph.facebook.com/v22.0"
            let id = try section.requireString("phone_number_id")
            guard !id.isEmpty, id.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw section.invalid("phone_number_id", "must be the digits of the WhatsApp phone number id")
            }
            user = id
            guard let token = try section.secret("token"), !token.isEmpty else {
                throw .missing(file: section.file, section: section.name, key: "token_file")
            }
            password = token
        case .generic:
            url = try section.requireString("url")
            user = nil
            password = nil
        }
        guard url.hasPrefix("http://") || url.hasPrefix("https://") else {
            throw section.invalid("url", "must start with http:// or https://")
        }
        client = HTTPClient(options: settings.options)
    }

    public func send(_ batch: [OutgoingMessage]) -> [DeliveryOutcome] {
        let now = clock()
        return client.send(
            batch, build: { (m: OutgoingMessage) throws(SMSSendError) in try request(for: m, timestamp: now) },
            refused: { .permanent($0.description, suppress: $0.suppressesNumber) },
            outcome: outcome)
    }

    public func close() { client.close() }
    public func probe() -> String? { client.probe(url) }

    /// What `render --kind sms` and campaign creation show and check: the alphabet and segments,
    /// refused with the reason when over `max_segments`.
    public func check(_ text: String) throws(SMSTextError) -> SMSAnalysis {
        guard let maxSegments else { return SMSText.analyze(text) }
        return try SMSText.check(text, maxSegments: maxSegments)
    }

    /// An alphanumeric sender id has at most 11 characters; a numeric one must be a phone number or short code.
    static func senderProblem(_ from: String) -> String? {
        if from.isEmpty { return "must not be empty" }
        let digits = from.hasPrefix("+") ? String(from.dropFirst()) : from
        if digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber) {
            return digits.count <= 15 ? nil : "has more than 15 digits"
        }
        if from.count > 11 { return "is an alphanumeric sender of \(from.count) characters; at most 11 are allowed" }
        if !from.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == " " || $0 == "-" || $0 == ".") }) {
            return "may only hold letters A-Z, digits, spaces, dots and dashes"
        }
        return nil
    }
}
