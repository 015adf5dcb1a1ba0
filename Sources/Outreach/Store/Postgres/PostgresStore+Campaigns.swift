extension PostgresStore: CampaignStore {
    static let campaignColumns =
        "id, name, message_id, list_name, channels, filters, send_at, state, created_at, started_at, missed"

    static func readCampaign(_ r: PostgresRow) throws -> Campaign {
        let channels = ((try? JSON.parse(r.text(4)))?.arrayValue ?? []).compactMap { j -> CampaignChannel? in
            guard let n = j["name"]?.stringValue,
                let a = j["address"]?.stringValue.flatMap(CampaignChannel.Address.init)
            else { return nil }
            return CampaignChannel(name: n, address: a, attribute: j["attribute"]?.stringValue)
        }
        let filters = ((try? JSON.parse(r.text(5)))?.objectValue ?? [:]).compactMapValues(\.stringValue)
        var c = Campaign(
            name: r.text(1), list: r.text(3), channels: channels, filters: filters, sendAt: try r.optionalInt(6))
        c.id = try r.int(0)
        c.messageID = try r.int(2)
        c.state = Campaign.State(rawValue: r.text(7)) ?? .draft
        c.createdAt = try r.int(8)
        c.startedAt = try r.optionalInt(9)
        c.missedItsTime = try r.bool(10)
        return c
    }

    static func campaign(_ db: PostgresConnection, named name: String, locking: Bool = false) throws -> Campaign? {
        try db.rows(
            "SELECT \(campaignColumns) FROM campaigns WHERE name = $1" + (locking ? " FOR UPDATE" : ""), [.text(name)],
            readCampaign
        ).first
    }

    public func createCampaign(_ campaign: Campaign, message: Message) throws -> Campaign {
        try write { db in
            guard try listID(db: db, campaign.list) != nil else { throw StoreError.unknownList(campaign.list) }
            var m = message
            m.kind = .list
            m.listName = campaign.list
            let result = try Self.enqueue(db, m, deliveries: [], idempotency: nil)
            let channels = JSON.array(
                campaign.channels.map { ch -> JSON in
                    var o: [String: JSON] = ["name": .string(ch.name), "address": .string(ch.address.rawValue)]
                    if let a = ch.attribute { o["attribute"] = .string(a) }
                    return .object(o)
                }
            ).serialized
            // ON CONFLICT: a name taken meanwhile by another node is refused the same way.
            guard
                let id = try db.rows(
                    """
                    INSERT INTO campaigns(name, message_id, list_name, channels, filters, send_at, state, created_at)
                    VALUES($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT(name) DO NOTHING RETURNING id
                    """,
                    [
                        .text(campaign.name), .integer(result.messageID), .text(campaign.list), .text(channels),
                        .text(JSON.object(campaign.filters.mapValues { .string($0) }).serialized),
                        PostgresValue(campaign.sendAt), .text(Campaign.State.draft.rawValue),
                        .integer(campaign.createdAt),
                    ], { try $0.int(0) }
                ).first
            else { throw CampaignError.exists(campaign.name) }
            try db.query(
                "UPDATE messages SET campaign_id = $1 WHERE id = $2", [.integer(id), .integer(result.messageID)])
            var c = campaign
            c.id = id
            c.messageID = result.messageID
            return c
        }
    }

    private func listID(db: PostgresConnection, _ name: String) throws -> Int64? { try Self.listID(db, name) }

    public func campaign(named name: String) throws -> Campaign? {
        try with { db in try Self.campaign(db, named: name) }
    }

    public func campaigns() throws -> [Campaign] {
        try with { db in try db.rows("SELECT \(Self.campaignColumns) FROM campaigns ORDER BY id", [], Self.readCampaign)
        }
    }

    /// As SQLite's; the campaign row is locked, so two nodes starting it at once fan out one after
    /// the other (the second inserts nothing: deliveries are unique per message, channel, address).
    public func fanOut(campaign name: String, now: Int64) throws -> FanOut {
        try write { db in
            guard let c = try Self.campaign(db, named: name, locking: true) else { throw CampaignError.unknown(name) }
            guard c.state != .cancelled else { throw CampaignError.cancelled(name) }
            let at = max(c.sendAt ?? now, now)
            let out = try Self.fanOut(
                db, messageID: c.messageID!, list: c.list, filters: c.filters, channels: c.channels, at: at, now: now)
            let state: Campaign.State = (c.sendAt ?? now) > now ? .scheduled : .running
            try db.query(
                "UPDATE campaigns SET state = $1, started_at = COALESCE(started_at, $2) WHERE id = $3",
                [.text(state.rawValue), .integer(now), .integer(c.id!)])
            return out
        }
    }

    public func setCampaignState(_ name: String, to state: Campaign.State, now: Int64) throws {
        try write { db in
            guard let c = try Self.campaign(db, named: name, locking: true) else { throw CampaignError.unknown(name) }
            let message = PostgresValue.integer(c.messageID!)
            switch state {
            case .paused:
                try db.query(
                    """
                    UPDATE deliveries SET state = 'cancelled', cancel_reason = 'paused', last_error = 'paused'
                    WHERE message_id = $1 AND state IN ('queued', 'failed')
                    """, [message])
            case .running:
                try db.query(
                    """
                    UPDATE deliveries SET state = 'queued', cancel_reason = NULL, last_error = NULL,
                        next_attempt_at = GREATEST(next_attempt_at, $1)
                    WHERE message_id = $2 AND state = 'cancelled' AND last_error = 'paused'
                    """, [.integer(now), message])
            case .cancelled:
                try db.query(
                    """
                    UPDATE deliveries SET state = 'cancelled', cancel_reason = 'campaign-cancelled',
                        last_error = 'campaign cancelled'
                    WHERE message_id = $1
                      AND (state IN ('queued', 'failed') OR (state = 'cancelled' AND last_error = 'paused'))
                    """, [message])
            default: break
            }
            try db.query(
                "UPDATE campaigns SET state = $1, missed = false WHERE id = $2",
                [.text(state.rawValue), .integer(c.id!)])
        }
    }

    public func audienceLocales(list: String) throws -> [String] {
        try with { db in
            try db.rows(
                """
                SELECT DISTINCT c.locale FROM memberships m JOIN lists l ON l.id = m.list_id
                JOIN contacts c ON c.id = m.contact_id
                WHERE l.name = $1 AND m.state = 'subscribed' AND c.locale IS NOT NULL ORDER BY 1
                """, [.text(list)]
            ) { $0.text(0) }
        }
    }

    public func sendTimeline(messageID: Int64, bucketMillis: Int64) throws -> [(start: Int64, count: Int)] {
        let rows = try with { db in
            try db.query(
                """
                SELECT (sent_at / $1) * $1 AS b, COUNT(*) FROM deliveries
                WHERE message_id = $2 AND sent_at IS NOT NULL GROUP BY b ORDER BY b
                """, [.integer(bucketMillis), .integer(messageID)]
            ).rows
        }
        return try rows.map { (start: try $0.int(0), count: Int(try $0.int(1))) }
    }

    public func sendSpan(messageID: Int64) throws -> (first: Int64, last: Int64)? {
        let rows = try with { db in
            try db.query(
                "SELECT MIN(sent_at), MAX(sent_at) FROM deliveries WHERE message_id = $1 AND sent_at IS NOT NULL",
                [.integer(messageID)]
            ).rows
        }
        guard let r = rows.first, !r.isNull(0) else { return nil }
        return (first: try r.int(0), last: try r.int(1))
    }

    public func failureReasons(messageID: Int64) throws -> [(state: DeliveryState, reason: String, count: Int)] {
        let rows = try with { db in
            try db.query(
                """
                SELECT state, COALESCE(last_error, ''), COUNT(*) FROM deliveries
                WHERE message_id = $1 AND state IN ('dead', 'failed', 'suppressed', 'bounced')
                GROUP BY 1, 2 ORDER BY 3 DESC, 2
                """, [.integer(messageID)]
            ).rows
        }
        return try rows.map {
            (state: DeliveryState(rawValue: $0.text(0)) ?? .dead, reason: $0.text(1), count: Int(try $0.int(2)))
        }
    }
}

/// Numbers the parameters of a statement built piece by piece: each value bound gives its `$n`.
struct PostgresBinder {
    var values: [PostgresValue] = []

    mutating func callAsFunction(_ v: PostgresValue) -> String {
        values.append(v)
        return "$\(values.count)"
    }
}

extension PostgresStore {
    /// As SQLite's `fanOut`: one `INSERT … SELECT` per channel, suppressed addresses stored as
    /// `suppressed`, a room channel one delivery; again for the same message inserts nothing.
    /// Attributes are read as `attributes::jsonb ->> key`, the key bound as a parameter.
    static func fanOut(
        _ db: PostgresConnection, messageID: Int64, list: String, filters: [String: String],
        channels: [CampaignChannel], at: Int64, now: Int64, only: MemberRange? = nil
    ) throws -> FanOut {
        var out = FanOut()
        /// The channel's address column and the members it goes to (list, `only`, filters), bound into `b`.
        func members(_ b: inout PostgresBinder, _ ch: CampaignChannel) -> (col: String, from: String) {
            let col: String
            switch ch.address {
            case .email: col = "c.email"
            case .phone: col = "c.phone"
            default: col = "(c.attributes::jsonb ->> \(b(.text(ch.attribute ?? ""))))"
            }
            var from = """
                FROM memberships m JOIN lists l ON l.id = m.list_id JOIN contacts c ON c.id = m.contact_id
                LEFT JOIN suppressions s ON s.address = \(col)
                WHERE l.name = \(b(.text(list))) AND m.state = 'subscribed'
                """
            switch only {
            case nil: break
            case .ids(let ids): from += " AND c.id = ANY(\(b(.bigints(ids)))::bigint[])"
            case .between(let first, let last):
                from += " AND c.id BETWEEN \(b(.integer(first))) AND \(b(.integer(last)))"
            }
            for (k, v) in filters.sorted(by: { $0.key < $1.key }) {
                from += " AND (c.attributes::jsonb ->> \(b(.text(k)))) = \(b(.text(v)))::text"
            }
            return (col, from)
        }
        for ch in channels {
            if ch.address == .room {
                // A room gets one post per campaign, not one per person.
                out.queued +=
                    try db.query(
                        """
                        INSERT INTO deliveries(message_id, channel, address, state, next_attempt_at, created_at,
                            updated_at)
                        VALUES($1, $2, $3, 'queued', $4, $5, $5) ON CONFLICT(message_id, channel, address) DO NOTHING
                        """,
                        [
                            .integer(messageID), .text(ch.name), .text(RecipientAddress.room), .integer(at),
                            .integer(now),
                        ]
                    ).affected
                continue
            }
            var count = PostgresBinder()
            let counted = members(&count, ch)
            out.noAddress += Int(
                try db.rows("SELECT COUNT(*) \(counted.from) AND \(counted.col) IS NULL", count.values) {
                    try $0.int(0)
                }.first ?? 0)
            var b = PostgresBinder()
            let (message, channel, due, stamp) = (
                b(.integer(messageID)), b(.text(ch.name)), b(.integer(at)), b(.integer(now))
            )
            let (col, from) = members(&b, ch)
            out.queued +=
                try db.query(
                    """
                    INSERT INTO deliveries(message_id, contact_id, channel, address, name, locale, timezone, state,
                        next_attempt_at, last_error, created_at, updated_at)
                    SELECT \(message)::bigint, c.id, \(channel)::text, \(col), c.name, c.locale, c.timezone,
                           CASE WHEN s.address IS NULL THEN 'queued' ELSE 'suppressed' END, \(due)::bigint,
                           CASE WHEN s.address IS NULL THEN NULL ELSE 'suppressed: ' || s.reason END,
                           \(stamp)::bigint, \(stamp)::bigint
                    \(from) AND \(col) IS NOT NULL
                    ON CONFLICT(message_id, channel, address) DO NOTHING
                    """, b.values
                ).affected
        }
        out.suppressed = Int(
            try db.rows(
                "SELECT COUNT(*) FROM deliveries WHERE message_id = $1 AND state = 'suppressed'", [.integer(messageID)]
            ) { try $0.int(0) }.first ?? 0)
        out.queued -= out.suppressed
        return out
    }
}
