/// One provider event's bounce results (a batch of SendGrid's holds several events).
public struct ProviderBounceEvent: Sendable, Equatable {
    /// The provider's id of the event (SNS MessageId, SendGrid `sg_event_id`, Mailgun event id,
    /// Postmark record ID), named in the source the pipeline records; nil when it gave none.
    public var id: String?
    public var report: BounceReport

    public init(id: String?, results: [BounceResult]) {
        self.id = id
        self.report = BounceReport(results: results)
    }
}

/// What one authenticated provider request reports, before anything is applied.
public struct ProviderEvents: Sendable, Equatable {
    /// Bounces, complaints, delays and auto-replies, per event, for `BounceSink.apply`.
    public var bounces: [ProviderBounceEvent] = []
    /// Deliveries the provider handed over; `deliveryID` nil when the event named none of ours.
    public var delivered: [Receipt] = []
    /// Events that change nothing here (opens, clicks, a message accepted for sending).
    public var ignored = 0
    /// What the officer must do, logged once (an SNS subscription to confirm).
    public var notice: String?
    /// A message already applied (SNS sends a message again when our answer was lost).
    public var duplicate = false

    public init(
        bounces: [ProviderBounceEvent] = [], delivered: [Receipt] = [], ignored: Int = 0,
        notice: String? = nil, duplicate: Bool = false
    ) {
        self.bounces = bounces
        self.delivered = delivered
        self.ignored = ignored
        self.notice = notice
        self.duplicate = duplicate
    }

    /// One event's results added to the rest.
    mutating func add(_ results: [BounceResult], event: String?) {
        bounces.append(ProviderBounceEvent(id: event.map { String($0.singleLine.prefix(200)) }, results: results))
    }

    /// Every bounce result, of all events.
    public var results: [BounceResult] { bounces.flatMap(\.report.results) }
}

/// What applying a provider request did, for the endpoint's answer.
public struct ProviderOutcome: Sendable, Equatable {
    /// Recipients' results handed to the bounce pipeline.
    public var bounces = 0
    /// Delivered events that moved one of our deliveries to `delivered`.
    public var delivered = 0
    /// Delivered events naming no delivery of this channel (the message carried no id of ours).
    public var unmatched = 0
    public var ignored = 0
    public var duplicate = false

    /// The endpoint's JSON answer.
    public var json: JSON {
        [
            "bounces": JSON(bounces), "delivered": JSON(delivered), "unmatched": JSON(unmatched),
            "ignored": JSON(ignored), "duplicate": .bool(duplicate),
        ]
    }
}
