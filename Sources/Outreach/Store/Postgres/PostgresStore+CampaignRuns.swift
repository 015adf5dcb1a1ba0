extension PostgresStore: CampaignRunStore {
    /// True once the run recorded as the series' last exists.
    static func runsAreOver(_ db: PostgresConnection, campaignID: Int64) throws -> Bool {
        try db.rows(
            "SELECT EXISTS (SELECT 1 FROM campaign_runs WHERE campaign_id = $1 AND is_last)", [.integer(campaignID)]
        ) { try $0.bool(0) }.first ?? false
    }

    /// As SQLite's: the campaign row is locked, the run row (UNIQUE campaign, occurrence) decides
    /// who runs it, and the message copy and fan-out share its transaction.
    public func runCampaign(_ name: String, occurrence: CampaignOccurrence, last: Bool, now: Int64) throws
        -> CampaignRun?
    {
        try write { db -> CampaignRun? in
            guard let c = try Self.campaign(db, named: name, locking: true) else { throw CampaignError.unknown(name) }
            guard c.state == .recurring, c.recurrence != nil else { return nil }
            let late = now - occurrence.at > lateCampaignGraceMillis
            let state: CampaignRun.State = late ? .skipped : .ran
            guard
                let runID = try db.rows(
                    """
                    INSERT INTO campaign_runs(campaign_id, occurrence, at, state, is_last, created_at)
                    VALUES($1, $2, $3, $4, $5, $6) ON CONFLICT(campaign_id, occurrence) DO NOTHING RETURNING id
                    """,
                    [
                        .integer(c.id!), .integer(Int64(occurrence.index)), .integer(occurrence.at),
                        .text(state.rawValue), .boolean(last), .integer(now),
                    ], { try $0.int(0) }
                ).first
            else { return nil }
            var run = CampaignRun(occurrence: occurrence.index, at: occurrence.at, state: state, ranAt: now)
            if !late {
                let messageID = try Self.copyMessage(db, c.messageID!, now: now)
                try db.query(
                    "UPDATE campaign_runs SET message_id = $1 WHERE id = $2", [.integer(messageID), .integer(runID)])
                _ = try Self.fanOut(
                    db, messageID: messageID, list: c.list, segment: c.segment, channels: c.channels, at: now, now: now)
                run.messageID = messageID
                run.counts = try Self.counts(db, messageID: messageID)
            }
            try db.query(
                "UPDATE campaigns SET started_at = COALESCE(started_at, $1), state = $2, missed = false WHERE id = $3",
                [.integer(now), .text((last ? Campaign.State.running : .recurring).rawValue), .integer(c.id!)])
            return run
        }
    }

    public func campaignRuns(campaign name: String) throws -> [CampaignRun] {
        try with { db in
            guard let c = try Self.campaign(db, named: name) else { throw CampaignError.unknown(name) }
            return try db.rows(
                """
                SELECT occurrence, at, state, message_id, created_at FROM campaign_runs WHERE campaign_id = $1
                ORDER BY occurrence
                """, [.integer(c.id!)], Self.readRun
            ).map { r in
                var run = r
                if let id = r.messageID { run.counts = try Self.counts(db, messageID: id) }
                return run
            }
        }
    }

    public func latestCampaignRun(campaign name: String) throws -> CampaignRun? {
        try with { db in
            try db.rows(
                """
                SELECT r.occurrence, r.at, r.state, r.message_id, r.created_at FROM campaign_runs r
                JOIN campaigns c ON c.id = r.campaign_id WHERE c.name = $1 ORDER BY r.occurrence DESC LIMIT 1
                """, [.text(name)], Self.readRun
            ).first
        }
    }

    static func readRun(_ r: PostgresRow) throws -> CampaignRun {
        CampaignRun(
            occurrence: Int(try r.int(0)), at: try r.int(1), state: CampaignRun.State(rawValue: r.text(2)) ?? .ran,
            messageID: try r.optionalInt(3), ranAt: try r.int(4))
    }

    /// As SQLite's: every column of the message but its identity and idempotency key, read from
    /// the catalogue so a column added later is copied too.
    private static func copyMessage(_ db: PostgresConnection, _ id: Int64, now: Int64) throws -> Int64 {
        let skip: Set<String> = ["id", "created_at", "idempotency_key", "request_hash"]
        let columns = try db.rows(
            """
            SELECT column_name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = 'messages' ORDER BY ordinal_position
            """
        ) { $0.text(0) }.filter { !skip.contains($0) }.joined(separator: ", ")
        guard
            let copy = try db.rows(
                """
                INSERT INTO messages(\(columns), created_at) SELECT \(columns), $1 FROM messages WHERE id = $2
                RETURNING id
                """, [.integer(now), .integer(id)], { try $0.int(0) }
            ).first
        else { throw CampaignError.invalid("The campaign's message \(id) is missing.") }
        return copy
    }

    private static func counts(_ db: PostgresConnection, messageID: Int64) throws -> [DeliveryState: Int] {
        var out: [DeliveryState: Int] = [:]
        for (s, n) in try db.rows(
            "SELECT state, COUNT(*) FROM deliveries WHERE message_id = $1 GROUP BY state", [.integer(messageID)],
            { (DeliveryState(rawValue: $0.text(0)), Int(try $0.int(1))) })
        {
            if let s { out[s] = n }
        }
        return out
    }
}
