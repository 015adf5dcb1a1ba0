/// The state of one delivery in the queue.
public enum DeliveryState: String, Sendable, CaseIterable {
    case queued, sending, sent, failed, dead, suppressed, cancelled, delivered, bounced
    /// The person marked it as spam (an ARF feedback report).
    case complained
}

/// Whether a message is list mail (marketing rules, unsubscribe headers) or transactional.
public enum MessageKind: String, Sendable {
    case transactional, list
}

/// What is sent: a template with its data, to many recipients.
public struct Message: Sendable, Equatable {
    public var id: Int64?
    public var template: String
    public var data: JSON
    public var kind: MessageKind
    public var listName: String?
    public var campaignID: Int64?
    public var eventID: Int64?
    /// Attachment paths (read at send time, checked at creation).
    public var attachments: [String]
    /// The title and data of `listName`'s list as they are when the message is read to be sent
    /// (not stored with the message: a list's title or data changed later is what goes out).
    public var listDetails: ListDetails?

    public init(
        id: Int64? = nil, template: String, data: JSON = .object([:]), kind: MessageKind = .transactional,
        listName: String? = nil, campaignID: Int64? = nil, eventID: Int64? = nil, attachments: [String] = []
    ) {
        self.id = id
        self.template = template
        self.data = data
        self.kind = kind
        self.listName = listName
        self.campaignID = campaignID
        self.eventID = eventID
        self.attachments = attachments
    }
}

/// One recipient of a new message on one channel.
public struct NewDelivery: Sendable, Equatable {
    public var channel: String
    public var address: String
    public var contactID: Int64?
    /// Name, locale and time zone of an ad-hoc recipient with no contact.
    public var name: String?
    public var locale: String?
    public var timeZone: String?
    /// Not before this instant (milliseconds since 1970); nil = now.
    public var notBefore: Int64?

    public init(
        channel: String, address: String, contactID: Int64? = nil, name: String? = nil,
        locale: String? = nil, timeZone: String? = nil, notBefore: Int64? = nil
    ) {
        self.channel = channel
        self.address = address
        self.contactID = contactID
        self.name = name
        self.locale = locale
        self.timeZone = timeZone
        self.notBefore = notBefore
    }
}

/// A delivery as stored.
public struct Delivery: Sendable, Equatable {
    public var id: Int64
    public var messageID: Int64
    public var contactID: Int64?
    public var channel: String
    public var address: String
    public var name: String?
    public var locale: String?
    public var timeZone: String?
    public var state: DeliveryState
    public var attempts: Int
    public var nextAttemptAt: Int64?
    public var lastError: String?
    public var providerID: String?
    public var createdAt: Int64
    public var updatedAt: Int64
    public var sentAt: Int64?
    /// Why a `cancelled` delivery was never sent.
    public var cancelReason: CancelReason? = nil

    public var json: JSON {
        var o: [String: JSON] = [
            "id": JSON(Int(id)), "message": JSON(Int(messageID)), "channel": .string(channel),
            "address": .string(address), "state": .string(state.rawValue), "attempts": JSON(attempts),
            "created_at": .string(WallClock.rfc3339(createdAt)), "updated_at": .string(WallClock.rfc3339(updatedAt)),
        ]
        if let contactID { o["contact"] = JSON(Int(contactID)) }
        if let nextAttemptAt, state == .queued || state == .failed {
            o["next_attempt_at"] = .string(WallClock.rfc3339(nextAttemptAt))
        }
        if let lastError { o["last_error"] = .string(lastError) }
        if let providerID { o["provider_id"] = .string(providerID) }
        if let sentAt { o["sent_at"] = .string(WallClock.rfc3339(sentAt)) }
        if let cancelReason { o["cancel_reason"] = .string(cancelReason.rawValue) }
        return .object(o)
    }
}

/// A delivery taken by a worker, with what it needs to render.
public struct ClaimedDelivery: Sendable {
    public var delivery: Delivery
    public var message: Message
    public var contact: Contact?
}
