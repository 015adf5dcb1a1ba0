extension SQLiteStore {
    /// A running campaign with no delivery pending (queued, sending, or failed and due again)
    /// reads as finished; the stored state stays `running`, so a later `start` that queues
    /// newcomers makes it running again without a write here. A recurring campaign past its last
    /// run is running until its runs' deliveries settle too.
    static let campaignColumns = """
        id, name, message_id, list_name, channels, filters, send_at,
        CASE WHEN state = 'running' AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.message_id = campaigns.message_id
            AND d.state IN ('queued', 'sending', 'failed')) AND NOT EXISTS (SELECT 1 FROM campaign_runs r
            JOIN deliveries d ON d.message_id = r.message_id WHERE r.campaign_id = campaigns.id
            AND d.state IN ('queued', 'sending', 'failed')) THEN 'finished' ELSE state END,
        created_at, started_at, missed, recurrence
        """

    /// The messages a campaign's deliveries belong to: its own, and each run's (`?` is its id twice).
    static let campaignMessages =
        "(SELECT message_id FROM campaigns WHERE id = ? UNION ALL "
        + "SELECT message_id FROM campaign_runs WHERE campaign_id = ? AND message_id IS NOT NULL)"

    static func readCampaign(_ s: SQLiteStatement) -> Campaign {
        let channels = ((try? JSON.parse(s.text(4)))?.arrayValue ?? []).compactMap { j -> CampaignChannel? in
            guard let n = j["name"]?.stringValue,
                let a = j["address"]?.stringValue.flatMap(CampaignChannel.Address.init)
            else { return nil }
            return CampaignChannel(name: n, address: a, attribute: j["attribute"]?.stringValue)
        }
        let segment = Segment(json: (try? JSON.parse(s.text(5))) ?? .array([]))
        var c = Campaign(
            name: s.text(1), list: s.text(3), channels: channels, segment: segment, sendAt: s.optionalInt(6))
        c.id = s.int(0)
        c.messageID = s.int(2)
        c.state = Campaign.State(rawValue: s.text(7)) ?? .draft
        c.createdAt = s.int(8)
        c.startedAt = s.optionalInt(9)
        c.missedItsTime = s.int(10) != 0
        c.recurrence = s.optionalText(11).flatMap { try? JSON.parse($0) }.flatMap(CampaignRecurrence.init(json:))
        return c
    }

    /// Stores the campaign and its message (template, data, attachments) in one transaction.
    public func createCampaign(_ campaign: Campaign, message: Message) throws -> Campaign {
        try write { db in
            if try db.prepare("SELECT 1 FROM campaigns WHERE name = ?").rows([.text(campaign.name)], { _ in 1 }).first
                != nil
            {
                throw CampaignError.exists(campaign.name)
            }
            guard
                try db.prepare("SELECT 1 FROM lists WHERE name = ?").rows([.text(campaign.list)], { _ in 1 }).first
                    != nil
            else {
                throw StoreError.unknownList(campaign.list)
            }
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
            try db.prepare(
                "INSERT INTO campaigns(name, message_id, list_name, channels, filters, send_at, state, created_at, recurrence) VALUES(?,?,?,?,?,?,?,?,?)"
            )
            .run([
                .text(campaign.name), .integer(result.messageID), .text(campaign.list), .text(channels),
                .text(campaign.segment.json.serialized), SQLiteValue(campaign.sendAt),
                .text(campaign.unstartedState.rawValue), .integer(campaign.createdAt),
                SQLiteValue(campaign.recurrence?.json.serialized),
            ])
            let id = db.lastInsertRowID
            try db.prepare("UPDATE messages SET campaign_id = ? WHERE id = ?").run([
                .integer(id), .integer(result.messageID),
            ])
            var c = campaign
            c.id = id
            c.messageID = result.messageID
            c.state = campaign.unstartedState
            return c
        }
    }

    public func campaign(named name: String) throws -> Campaign? {
        try with { db in
            try Self.campaign(db, named: name)
        }
    }

    public func campaigns() throws -> [Campaign] {
        try with { db in
            try db.prepare("SELECT \(Self.campaignColumns) FROM campaigns ORDER BY id").rows([], Self.readCampaign)
        }
    }

    /// Fans the campaign out: one delivery per subscribed member and channel, inserted by the
    /// database itself in one statement per channel (no contacts in memory). Running it twice
    /// inserts nothing new: deliveries are unique per message, channel and address. When the
    /// campaign then has nothing to send, the transaction is rolled back and the funnel counted.
    public func fanOut(campaign name: String, now: Int64) throws -> FanOut {
        try write { db in
            guard let c = try Self.campaign(db, named: name) else { throw CampaignError.unknown(name) }
            guard c.state != .cancelled else { throw CampaignError.cancelled(name) }
            guard c.recurrence == nil else { throw CampaignError.recurring(name) }
            return try Self.start(db, c, now: now)
        }
    }

    /// The campaign named, or nil.
    static func campaign(_ db: SQLiteDatabase, named name: String) throws -> Campaign? {
        try db.prepare("SELECT \(campaignColumns) FROM campaigns WHERE name = ?").rows([.text(name)], readCampaign)
            .first
    }

    /// Fans `c` out inside the caller's transaction and marks it started: `scheduled` while its
    /// time is ahead, else `running`.
    /// - Throws: `CampaignError.reachesNobody` when it has no delivery but suppressed ones; what it
    ///   inserted is then the caller's to roll back.
    static func start(_ db: SQLiteDatabase, _ c: Campaign, now: Int64) throws -> FanOut {
        let at = max(c.sendAt ?? now, now)
        let out = try fanOut(
            db, messageID: c.messageID!, list: c.list, segment: c.segment, channels: c.channels, at: at, now: now)
        let reaching =
            try db.prepare("SELECT EXISTS (SELECT 1 FROM deliveries WHERE message_id = ? AND state <> 'suppressed')")
            .rows([.integer(c.messageID!)]) { $0.int(0) }.first ?? 0
        if reaching == 0 {
            let reach = try reach(db, list: c.list, segment: c.segment, channels: c.channels)
            throw CampaignError.reachesNobody(
                c.name, list: c.list, segment: c.segment, channels: c.channels, reach: reach)
        }
        let state: Campaign.State = (c.sendAt ?? now) > now ? .scheduled : .running
        try db.prepare("UPDATE campaigns SET state = ?, started_at = COALESCE(started_at, ?), missed = 0 WHERE id = ?")
            .run([.text(state.rawValue), .integer(now), .integer(c.id!)])
        return out
    }

    /// Changes a campaign nothing was queued for (never started, not cancelled): its segment, send
    /// time and message; `scheduled` with a send time, else a draft.
    public func updateCampaign(_ campaign: Campaign, message: Message) throws -> Campaign {
        try write { db in
            let c = try Self.editable(db, campaign.name, deleting: false)
            let updated = c.edited(by: campaign)
            try db.prepare(
                "UPDATE campaigns SET filters = ?, send_at = ?, state = ?, missed = 0, recurrence = ? WHERE id = ?"
            ).run([
                .text(updated.segment.json.serialized), SQLiteValue(updated.sendAt), .text(updated.state.rawValue),
                SQLiteValue(updated.recurrence?.json.serialized), .integer(c.id!),
            ])
            let attachments = JSON.array(message.attachments.map { .string($0) }).serialized
            try db.prepare("UPDATE messages SET template = ?, data = ?, attachments = ? WHERE id = ?").run([
                .text(message.template), .text(message.data.serialized), .text(attachments), .integer(c.messageID!),
            ])
            return updated
        }
    }

    /// Deletes a campaign nothing was queued for, and its message.
    public func deleteCampaign(named name: String) throws {
        try write { db in
            let c = try Self.editable(db, name, deleting: true)
            try db.prepare("DELETE FROM campaigns WHERE id = ?").run([.integer(c.id!)])
            try db.prepare("DELETE FROM messages WHERE id = ?").run([.integer(c.messageID!)])
        }
    }

    /// The campaign, when it may still be changed or deleted: never started and nothing queued
    /// for it, not cancelled.
    /// - Throws: `CampaignError.unknown`, `CampaignError.started`.
    private static func editable(_ db: SQLiteDatabase, _ name: String, deleting: Bool) throws -> Campaign {
        guard let c = try campaign(db, named: name) else { throw CampaignError.unknown(name) }
        let queued =
            try db.prepare("SELECT EXISTS (SELECT 1 FROM deliveries WHERE message_id = ?)").rows([
                .integer(c.messageID!)
            ]) { $0.int(0) }.first ?? 0
        guard c.startedAt == nil, queued == 0, c.state != .cancelled else {
            throw CampaignError.started(name, state: c.state, deleting: deleting)
        }
        return c
    }

    /// Who the campaign reaches if it starts now: the fan-out's statements, counted (`audienceGroups`).
    public func audience(campaign name: String) throws -> CampaignAudience {
        try with { db in
            guard let c = try Self.campaign(db, named: name) else { throw CampaignError.unknown(name) }
            let states = try db.prepare(
                """
                SELECT m.state, COUNT(*) FROM memberships m JOIN lists l ON l.id = m.list_id WHERE l.name = ?
                GROUP BY m.state
                """
            ).rows([.text(c.list)]) { ($0.text(0), Int($0.int(1))) }
            let selected = try Self.reach(db, list: c.list, segment: c.segment, channels: []).matching
            return try CampaignAudience(
                channels: c.channels, memberships: Dictionary(states) { a, _ in a }, selected: selected
            ) { ch in try Self.audienceGroups(db, list: c.list, segment: c.segment, channel: ch) }
        }
    }

    /// Pauses (sending stops: queued deliveries are held), resumes or cancels a campaign.
    public func setCampaignState(_ name: String, to state: Campaign.State, now: Int64) throws {
        try write { db in
            guard let c = try Self.campaign(db, named: name) else { throw CampaignError.unknown(name) }
            if c.state == .finished { throw CampaignError.finished(name) }
            if state == .running, c.startedAt == nil, c.state != .cancelled, c.recurrence == nil {
                // Never fanned out (held before its time, or found past it): it waits for its time
                // if that is still ahead, else starts now.
                if let at = c.sendAt, at > now {
                    try db.prepare("UPDATE campaigns SET state = 'scheduled', missed = 0 WHERE id = ?")
                        .run([.integer(c.id!)])
                } else {
                    var atOnce = c
                    atOnce.sendAt = nil
                    _ = try Self.start(db, atOnce, now: now)
                }
                return
            }
            switch state {
            case .paused:
                try db.prepare(
                    "UPDATE deliveries SET state = 'cancelled', cancel_reason = 'paused', last_error = 'paused' WHERE message_id IN \(Self.campaignMessages) AND state IN ('queued','failed')"
                ).run([.integer(c.id!), .integer(c.id!)])
            case .running:
                try db.prepare(
                    "UPDATE deliveries SET state = 'queued', cancel_reason = NULL, last_error = NULL, next_attempt_at = MAX(next_attempt_at, ?) WHERE message_id IN \(Self.campaignMessages) AND state = 'cancelled' AND last_error = 'paused'"
                ).run([.integer(now), .integer(c.id!), .integer(c.id!)])
            case .cancelled:
                try db.prepare(
                    "UPDATE deliveries SET state = 'cancelled', cancel_reason = 'campaign-cancelled', last_error = 'campaign cancelled' WHERE message_id IN \(Self.campaignMessages) AND (state IN ('queued','failed') OR (state = 'cancelled' AND last_error = 'paused'))"
                ).run([.integer(c.id!), .integer(c.id!)])
            default: break
            }
            // A recurring campaign resumed runs on while runs are left; past its last, it is running.
            var next = state
            if state == .running, c.recurrence != nil, try !Self.runsAreOver(db, campaignID: c.id!) {
                next = .recurring
            }
            try db.prepare("UPDATE campaigns SET state = ?, missed = 0 WHERE id = ?").run([
                .text(next.rawValue), .integer(c.id!),
            ])
        }
    }
}

extension SQLiteStore {
    /// The distinct languages of a list's subscribed members (nil locale counts as the default).
    public func audienceLocales(list: String) throws -> [String] {
        try with { db in
            try db.prepare(
                """
                SELECT DISTINCT c.locale FROM memberships m JOIN lists l ON l.id = m.list_id JOIN contacts c ON c.id = m.contact_id
                WHERE l.name = ? AND m.state = 'subscribed' AND c.locale IS NOT NULL ORDER BY 1
                """
            ).rows([.text(list)]) { $0.text(0) }
        }
    }
}

extension SQLiteStore {
    /// A scheduled campaign whose time has come starts: one never fanned out (created with `--at`)
    /// fans out now, with the list as it is now; one fanned out early (`start` before its time) is
    /// running. One far past its time (the daemon was down) is paused for the officer instead. A
    /// campaign that reaches nobody at its time goes back to being a draft, nothing queued.
    static func promoteScheduledCampaigns(_ db: SQLiteDatabase, now: Int64, grace: Int64) throws {
        let due = try db.prepare(
            "SELECT \(campaignColumns) FROM campaigns WHERE state = 'scheduled' AND send_at <= ?"
        ).rows([.integer(now)], readCampaign)
        for c in due {
            switch ScheduledStart(c, now: now, grace: grace) {
            case .hold:
                try db.prepare(
                    "UPDATE deliveries SET state = 'cancelled', cancel_reason = 'paused', last_error = 'paused' WHERE message_id = ? AND state IN ('queued','failed')"
                )
                .run([.integer(c.messageID!)])
                try db.prepare("UPDATE campaigns SET state = 'paused', missed = 1 WHERE id = ?").run([.integer(c.id!)])
            case .fanOut:
                try db.execute("SAVEPOINT scheduled")
                do {
                    _ = try start(db, c, now: now)
                    try db.execute("RELEASE SAVEPOINT scheduled")
                } catch CampaignError.reachesNobody {
                    try db.execute("ROLLBACK TO SAVEPOINT scheduled; RELEASE SAVEPOINT scheduled")
                    try db.prepare("UPDATE campaigns SET state = 'draft' WHERE id = ?").run([.integer(c.id!)])
                }
            case .run:
                try db.prepare("UPDATE campaigns SET state = 'running' WHERE id = ?").run([.integer(c.id!)])
            }
        }
    }
}

extension SQLiteStore {
    /// Sent deliveries per time bucket (`bucketMillis` wide), for the report's timeline.
    public func sendTimeline(messageID: Int64, bucketMillis: Int64) throws -> [(start: Int64, count: Int)] {
        try with { db in
            try db.prepare(
                """
                SELECT (sent_at / ?1) * ?1 AS b, COUNT(*) FROM deliveries WHERE message_id = ?2 AND sent_at IS NOT NULL GROUP BY b ORDER BY b
                """
            ).rows([.integer(bucketMillis), .integer(messageID)]) { (start: $0.int(0), count: Int($0.int(1))) }
        }
    }

    /// The first and last send instants of a message's deliveries.
    public func sendSpan(messageID: Int64) throws -> (first: Int64, last: Int64)? {
        try with { db in
            try db.prepare(
                "SELECT MIN(sent_at), MAX(sent_at) FROM deliveries WHERE message_id = ? AND sent_at IS NOT NULL"
            )
            .rows([.integer(messageID)]) { s -> (first: Int64, last: Int64)? in
                s.isNull(0) ? nil : (first: s.int(0), last: s.int(1))
            }.first ?? nil
        }
    }

    /// Dead, failed and suppressed deliveries grouped by their last error.
    public func failureReasons(messageID: Int64) throws -> [(state: DeliveryState, reason: String, count: Int)] {
        try with { db in
            try db.prepare(
                """
                SELECT state, COALESCE(last_error, ''), COUNT(*) FROM deliveries WHERE message_id = ? AND state IN ('dead','failed','suppressed','bounced')
                GROUP BY 1, 2 ORDER BY 3 DESC
                """
            ).rows([.integer(messageID)]) {
                (state: DeliveryState(rawValue: $0.text(0)) ?? .dead, reason: $0.text(1), count: Int($0.int(2)))
            }
        }
    }
}
