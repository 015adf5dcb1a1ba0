extension PostgresStore: CampaignStore {
    /// As SQLite's: a running campaign with no delivery pending reads as finished (the stored
    /// state stays `running`).
    static let campaignColumns = """
        id, name, message_id, list_name, channels, filters, send_at,
        CASE WHEN state = 'running' AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = campaigns.message_id
            AND d.state IN ('queued', 'sending', 'failed')) AND NOT EXISTS (SELECT 1 FROM campaign_runs r
            JOIN deliveries d ON d.message_id = r.message_id WHERE r.campaign_id = campaigns.id
            AND d.state IN ('queued', 'sending', 'failed')) THEN 'finished' ELSE state END,
        created_at, started_at, missed, recurrence
        """

    /// As SQLite's: the messages of a campaign's deliveries, its own and its runs' (`$1` its id).
    static let campaignMessages =
        "(SELECT message_id FROM campaigns WHERE id = $1 UNION ALL "
        + "SELECT message_id FROM campaign_runs WHERE campaign_id = $1 AND message_id IS NOT NULL)"

    static func readCampaign(_ r: PostgresRow) throws -> Campaign {
        let channels = ((try? JSON.parse(r.text(4)))?.arrayValue ?? []).compactMap { j -> CampaignChannel? in
            guard let n = j["name"]?.stringValue,
                let a = j["address"]?.stringValue.flatMap(CampaignChannel.Address.init)
            else { return nil }
            return CampaignChannel(name: n, address: a, attribute: j["attribute"]?.stringValue)
        }
        let segment = Segment(json: (try? JSON.parse(r.text(5))) ?? .array([]))
        var c = Campaign(
            name: r.text(1), list: r.text(3), channels: channels, segment: segment, sendAt: try r.optionalInt(6))
        c.id = try r.int(0)
        c.messageID = try r.int(2)
        c.state = Campaign.State(rawValue: r.text(7)) ?? .draft
        c.createdAt = try r.int(8)
        c.startedAt = try r.optionalInt(9)
        c.missedItsTime = try r.bool(10)
        c.recurrence = r.optionalText(11).flatMap { try? JSON.parse($0) }.flatMap(CampaignRecurrence.init(json:))
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
                    INSERT INTO campaigns(name, message_id, list_name, channels, filters, send_at, state, created_at,
                        recurrence)
                    VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT(name) DO NOTHING RETURNING id
                    """,
                    [
                        .text(campaign.name), .integer(result.messageID), .text(campaign.list), .text(channels),
                        .text(campaign.segment.json.serialized), PostgresValue(campaign.sendAt),
                        .text(campaign.unstartedState.rawValue), .integer(campaign.createdAt),
                        PostgresValue(campaign.recurrence?.json.serialized),
                    ], { try $0.int(0) }
                ).first
            else { throw CampaignError.exists(campaign.name) }
            try db.query(
                "UPDATE messages SET campaign_id = $1 WHERE id = $2", [.integer(id), .integer(result.messageID)])
            var c = campaign
            c.id = id
            c.messageID = result.messageID
            c.state = campaign.unstartedState
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
            guard c.recurrence == nil else { throw CampaignError.recurring(name) }
            return try Self.start(db, c, now: now)
        }
    }

    /// As SQLite's `start`: fans `c` out in the caller's transaction and marks it started.
    /// - Throws: `CampaignError.reachesNobody` when it has nothing to send (the caller rolls back).
    static func start(_ db: PostgresConnection, _ c: Campaign, now: Int64) throws -> FanOut {
        let at = max(c.sendAt ?? now, now)
        let out = try fanOut(
            db, messageID: c.messageID!, list: c.list, segment: c.segment, channels: c.channels, at: at, now: now)
        let reaching =
            try db.rows(
                "SELECT EXISTS (SELECT 1 FROM deliveries WHERE message_id = $1 AND state <> 'suppressed')",
                [.integer(c.messageID!)]
            ) { try $0.bool(0) }.first ?? false
        if !reaching {
            let reach = try reach(db, list: c.list, segment: c.segment, channels: c.channels)
            throw CampaignError.reachesNobody(
                c.name, list: c.list, segment: c.segment, channels: c.channels, reach: reach)
        }
        let state: Campaign.State = (c.sendAt ?? now) > now ? .scheduled : .running
        try db.query(
            "UPDATE campaigns SET state = $1, started_at = COALESCE(started_at, $2), missed = false WHERE id = $3",
            [.text(state.rawValue), .integer(now), .integer(c.id!)])
        return out
    }

    /// As SQLite's: a campaign nothing was queued for takes a new segment, send time and message.
    public func updateCampaign(_ campaign: Campaign, message: Message) throws -> Campaign {
        try write { db in
            let c = try Self.editable(db, campaign.name, deleting: false)
            let updated = c.edited(by: campaign)
            try db.query(
                "UPDATE campaigns SET filters = $1, send_at = $2, state = $3, missed = false, recurrence = $4 WHERE id = $5",
                [
                    .text(updated.segment.json.serialized), PostgresValue(updated.sendAt),
                    .text(updated.state.rawValue), PostgresValue(updated.recurrence?.json.serialized), .integer(c.id!),
                ])
            try db.query(
                "UPDATE messages SET template = $1, data = $2, attachments = $3 WHERE id = $4",
                [
                    .text(message.template), .text(message.data.serialized),
                    .text(JSON.array(message.attachments.map { .string($0) }).serialized), .integer(c.messageID!),
                ])
            return updated
        }
    }

    /// As SQLite's: a campaign nothing was queued for is deleted with its message.
    public func deleteCampaign(named name: String) throws {
        try write { db in
            let c = try Self.editable(db, name, deleting: true)
            try db.query("DELETE FROM campaigns WHERE id = $1", [.integer(c.id!)])
            try db.query("DELETE FROM messages WHERE id = $1", [.integer(c.messageID!)])
        }
    }

    /// The campaign, locked, when it may still be changed or deleted (never started, nothing queued
    /// for it, not cancelled).
    private static func editable(_ db: PostgresConnection, _ name: String, deleting: Bool) throws -> Campaign {
        guard let c = try campaign(db, named: name, locking: true) else { throw CampaignError.unknown(name) }
        let queued =
            try db.rows("SELECT EXISTS (SELECT 1 FROM deliveries WHERE message_id = $1)", [.integer(c.messageID!)]) {
                try $0.bool(0)
            }.first ?? false
        guard c.startedAt == nil, !queued, c.state != .cancelled else {
            throw CampaignError.started(name, state: c.state, deleting: deleting)
        }
        return c
    }

    /// As SQLite's: the fan-out's statements, counted.
    public func audience(campaign name: String) throws -> CampaignAudience {
        try with { db in
            guard let c = try Self.campaign(db, named: name) else { throw CampaignError.unknown(name) }
            let states = try db.rows(
                """
                SELECT m.state, COUNT(*) FROM memberships m JOIN lists l ON l.id = m.list_id WHERE l.name = $1
                GROUP BY m.state
                """, [.text(c.list)]
            ) { ($0.text(0), Int(try $0.int(1))) }
            let selected = try Self.reach(db, list: c.list, segment: c.segment, channels: []).matching
            return try CampaignAudience(
                channels: c.channels, memberships: Dictionary(states) { a, _ in a }, selected: selected
            ) { ch in try Self.audienceGroups(db, list: c.list, segment: c.segment, channel: ch) }
        }
    }

    public func setCampaignState(_ name: String, to state: Campaign.State, now: Int64) throws {
        try write { db in
            guard let c = try Self.campaign(db, named: name, locking: true) else { throw CampaignError.unknown(name) }
            if c.state == .finished { throw CampaignError.finished(name) }
            if state == .running, c.startedAt == nil, c.state != .cancelled, c.recurrence == nil {
                // As SQLite's: never fanned out, it waits for its time if ahead, else starts now.
                if let at = c.sendAt, at > now {
                    try db.query(
                        "UPDATE campaigns SET state = 'scheduled', missed = false WHERE id = $1", [.integer(c.id!)])
                } else {
                    var atOnce = c
                    atOnce.sendAt = nil
                    _ = try Self.start(db, atOnce, now: now)
                }
                return
            }
            // The campaign's own message and its runs' (a recurring campaign's deliveries are theirs).
            let id = PostgresValue.integer(c.id!)
            switch state {
            case .paused:
                try db.query(
                    """
                    UPDATE deliveries SET state = 'cancelled', cancel_reason = 'paused', last_error = 'paused'
                    WHERE message_id IN \(Self.campaignMessages) AND state IN ('queued', 'failed')
                    """, [id])
            case .running:
                try db.query(
                    """
                    UPDATE deliveries SET state = 'queued', cancel_reason = NULL, last_error = NULL,
                        next_attempt_at = GREATEST(next_attempt_at, $2)
                    WHERE message_id IN \(Self.campaignMessages) AND state = 'cancelled' AND last_error = 'paused'
                    """, [id, .integer(now)])
            case .cancelled:
                try db.query(
                    """
                    UPDATE deliveries SET state = 'cancelled', cancel_reason = 'campaign-cancelled',
                        last_error = 'campaign cancelled'
                    WHERE message_id IN \(Self.campaignMessages)
                      AND (state IN ('queued', 'failed') OR (state = 'cancelled' AND last_error = 'paused'))
                    """, [id])
            default: break
            }
            // As SQLite's: a recurring campaign resumed runs on while runs are left.
            var next = state
            if state == .running, c.recurrence != nil, try !Self.runsAreOver(db, campaignID: c.id!) {
                next = .recurring
            }
            try db.query(
                "UPDATE campaigns SET state = $1, missed = false WHERE id = $2",
                [.text(next.rawValue), .integer(c.id!)])
        }
    }

    public func audienceLocales(list: String) throws -> [String] {
        try with { db in
            try db.rows(
                """
                SELECT DISTINCT c.locale COLLATE "C" FROM memberships m JOIN lists l ON l.id = m.list_id
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
    /// As SQLite's `audience`: the subscribed members of `list` the segment selects (`only` some
    /// of them), `c` the contact, `s` the suppression of its address on `ch`; bound into `b`.
    /// The one shape behind the fan-out, its counts and the preview.
    static func audience(
        _ b: inout PostgresBinder, list: String, segment: Segment, channel ch: CampaignChannel,
        only: MemberRange? = nil
    ) -> (col: String, from: String) {
        let col = addressColumn(&b, ch)
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
        from += segmentSQL(&b, segment)
        return (col, from)
    }

    /// As SQLite's `fanOut`: one `INSERT … SELECT` per channel, suppressed addresses stored as
    /// `suppressed`, a room channel one delivery; again for the same message inserts nothing.
    /// Attributes are read as `attributes::jsonb ->> key`, the key bound as a parameter.
    /// With `prefer` (an event's), as SQLite's: one of email and phone each, the unreached counted.
    static func fanOut(
        _ db: PostgresConnection, messageID: Int64, list: String, segment: Segment,
        channels: [CampaignChannel], at: Int64, now: Int64, only: MemberRange? = nil, prefer: ChannelPreference? = nil,
        countUnreached counting: Bool = false
    ) throws -> FanOut {
        var out = FanOut()
        if counting { try countUnreached(db, list: list, channels: channels, only: only, into: &out) }
        // What this run adds: suppressed rows of the message from an earlier run are not its own.
        let suppressedBefore = try suppressedDeliveries(db, messageID: messageID)
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
            var counted = audience(&count, list: list, segment: segment, channel: ch, only: only)
            counted.from += choiceSQL(&count, ch, channels, prefer)
            out.noAddress += Int(
                try db.rows("SELECT COUNT(*) \(counted.from) AND \(counted.col) IS NULL", count.values) {
                    try $0.int(0)
                }.first ?? 0)
            var b = PostgresBinder()
            let (message, channel, due, stamp) = (
                b(.integer(messageID)), b(.text(ch.name)), b(.integer(at)), b(.integer(now))
            )
            var (col, from) = audience(&b, list: list, segment: segment, channel: ch, only: only)
            from += choiceSQL(&b, ch, channels, prefer)
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
        out.suppressed = try suppressedDeliveries(db, messageID: messageID) - suppressedBefore
        out.queued -= out.suppressed
        return out
    }

    /// ` AND …` leaving out who gets another of `channels` instead (`RecipientAddress.choice`).
    static func choiceSQL(
        _ b: inout PostgresBinder, _ ch: CampaignChannel, _ channels: [CampaignChannel], _ prefer: ChannelPreference?
    ) -> String {
        guard let prefer, let choice = RecipientAddress.choice(for: ch, among: channels, fallback: prefer) else {
            return ""
        }
        let other = addressColumn(&b, CampaignChannel(name: "", address: choice.other))
        return
            " AND NOT (\(other) IS NOT NULL AND COALESCE(c.preferred_channel, \(b(.text(choice.fallback.rawValue)))) = "
            + "\(b(.text(choice.leftOutWhenPreferring.rawValue))))"
    }

    /// As SQLite's `countUnreached`: members no per-person channel reaches, by what they have.
    static func countUnreached(
        _ db: PostgresConnection, list: String, channels: [CampaignChannel], only: MemberRange?,
        into out: inout FanOut
    ) throws {
        let people = channels.filter { $0.address != .room }
        guard !people.isEmpty else { return }
        var b = PostgresBinder()
        let (_, from) = audience(&b, list: list, segment: Segment(), channel: people[0], only: only)
        let none = people.map { "\(addressColumn(&b, $0)) IS NULL" }.joined(separator: " AND ")
        for r in try db.rows(
            "SELECT c.phone IS NOT NULL, c.email IS NOT NULL, COUNT(*) \(from) AND \(none) GROUP BY 1, 2", b.values,
            { (phone: try $0.bool(0), email: try $0.bool(1), n: Int(try $0.int(2))) }
        ) {
            if r.phone && !r.email { out.phoneOnly += r.n }
            if r.email && !r.phone { out.emailOnly += r.n }
        }
    }

    /// As SQLite's `audienceGroups`: the fan-out's audience of one channel, counted per language,
    /// address or none, and suppression.
    static func audienceGroups(_ db: PostgresConnection, list: String, segment: Segment, channel: CampaignChannel)
        throws -> [CampaignAudience.Group]
    {
        var b = PostgresBinder()
        let (col, from) = audience(&b, list: list, segment: segment, channel: channel)
        return try db.rows(
            """
            SELECT c.locale, \(col) IS NOT NULL, s.reason, COUNT(DISTINCT \(col)), COUNT(*), MIN(c.id)
            \(from) GROUP BY 1, 2, 3
            """, b.values
        ) { r in
            let hasAddress = try r.bool(1)
            return CampaignAudience.Group(
                locale: r.optionalText(0), hasAddress: hasAddress, suppression: r.optionalText(2),
                count: Int(hasAddress ? try r.int(3) : try r.int(4)), firstContactID: try r.int(5))
        }
    }

    private static func suppressedDeliveries(_ db: PostgresConnection, messageID: Int64) throws -> Int {
        Int(
            try db.rows(
                "SELECT COUNT(*) FROM deliveries WHERE message_id = $1 AND state = 'suppressed'", [.integer(messageID)]
            ) { try $0.int(0) }.first ?? 0)
    }
}

extension PostgresStore {
    /// The contact column a channel sends to; an attribute's name is bound into `b`.
    static func addressColumn(_ b: inout PostgresBinder, _ ch: CampaignChannel) -> String {
        switch ch.address {
        case .email: return "c.email"
        case .phone: return "c.phone"
        default: return "(c.attributes::jsonb ->> \(b(.text(ch.attribute ?? ""))))"
        }
    }

    /// The segment's rules (`Segment`) as ` AND …` conditions on the contact `c`, as SQLite's
    /// `segmentSQL`: the same key is OR, keys are AND, `!=` excludes, a missing value is not equal.
    static func segmentSQL(_ b: inout PostgresBinder, _ segment: Segment) -> String {
        var sql = ""
        for condition in segment.conditions {
            let field = condition.field
            func value(_ v: String) -> PostgresValue { .text(field.ignoresCase ? v.lowercased() : v) }
            func list(_ b: inout PostgresBinder, _ vs: [String]) -> String {
                vs.map { b(value($0)) + "::text" }.joined(separator: ", ")
            }
            switch field {
            case .list:
                let member =
                    "EXISTS (SELECT 1 FROM memberships m2 JOIN lists l2 ON l2.id = m2.list_id "
                    + "WHERE m2.contact_id = c.id AND m2.state = 'subscribed' AND l2.name IN "
                if !condition.anyOf.isEmpty { sql += " AND \(member)(\(list(&b, condition.anyOf))))" }
                if !condition.noneOf.isEmpty { sql += " AND NOT \(member)(\(list(&b, condition.noneOf))))" }
            case .locale:
                // `de` is the language: de, de-AT, de-CH.
                func matches(_ b: inout PostgresBinder, _ vs: [String]) -> String {
                    "("
                        + vs.map { v in
                            "lower(c.locale) = \(b(value(v)))::text OR lower(c.locale) LIKE \(b(value(v + "-%")))::text"
                        }.joined(separator: " OR ") + ")"
                }
                if !condition.anyOf.isEmpty { sql += " AND \(matches(&b, condition.anyOf))" }
                if !condition.noneOf.isEmpty {
                    sql += " AND (c.locale IS NULL OR NOT \(matches(&b, condition.noneOf)))"
                }
            default:
                let column: String
                switch field {
                case .email: column = "lower(c.email)"
                case .phone: column = "c.phone"
                case .timeZone: column = "c.timezone"
                case .country: column = "lower(c.attributes::jsonb ->> 'country')"
                case .attribute(let a): column = "(c.attributes::jsonb ->> \(b(.text(a)))::text)"
                default: column = "NULL::text"
                }
                if !condition.anyOf.isEmpty { sql += " AND \(column) IN (\(list(&b, condition.anyOf)))" }
                if !condition.noneOf.isEmpty {
                    sql += " AND (\(column) IS NULL OR \(column) NOT IN (\(list(&b, condition.noneOf))))"
                }
            }
        }
        return sql
    }

    /// How far a campaign's audience gets: members, selected, with an address, all suppressed.
    static func reach(
        _ db: PostgresConnection, list: String, segment: Segment, channels: [CampaignChannel]
    ) throws -> CampaignReach {
        let from = "FROM memberships m JOIN lists l ON l.id = m.list_id JOIN contacts c ON c.id = m.contact_id"
        /// Counts the subscribed members of `list` the segment selects (all with `selected` false)
        /// and `extra` holds for.
        func count(selected: Bool, _ extra: (inout PostgresBinder) -> String = { _ in "" }) throws -> Int {
            var b = PostgresBinder()
            var sql = "SELECT COUNT(*) \(from) WHERE l.name = \(b(.text(list))) AND m.state = 'subscribed'"
            if selected { sql += segmentSQL(&b, segment) }
            sql += extra(&b)
            return Int(try db.rows(sql, b.values) { try $0.int(0) }.first ?? 0)
        }
        var r = CampaignReach()
        r.members = try count(selected: false)
        r.matching = try count(selected: true)
        let people = channels.filter { $0.address != .room }
        guard !people.isEmpty else { return r }
        r.withAddress = try count(selected: true) { b in
            " AND (" + people.map { "\(addressColumn(&b, $0)) IS NOT NULL" }.joined(separator: " OR ") + ")"
        }
        let unsuppressed = try count(selected: true) { b in
            " AND ("
                + people.map { ch in
                    let col = addressColumn(&b, ch)
                    return "(\(col) IS NOT NULL AND \(col) NOT IN (SELECT address FROM suppressions))"
                }.joined(separator: " OR ") + ")"
        }
        r.suppressed = r.withAddress - unsuppressed
        return r
    }
}
