extension SQLiteStore {
    /// True once the run recorded as the series' last exists.
    static func runsAreOver(_ db: SQLiteDatabase, campaignID: Int64) throws -> Bool {
        try db.prepare("SELECT EXISTS (SELECT 1 FROM campaign_runs WHERE campaign_id = ? AND is_last = 1)")
            .rows([.integer(campaignID)]) { $0.int(0) }.first == 1
    }

    /// Records the occurrence (the UNIQUE row decides who runs it) and fans out a copy of the
    /// campaign's message, in one transaction.
    public func runCampaign(_ name: String, occurrence: CampaignOccurrence, last: Bool, now: Int64) throws
        -> CampaignRun?
    {
        try write { db in
            guard let c = try Self.campaign(db, named: name) else { throw CampaignError.unknown(name) }
            guard c.state == .recurring, c.recurrence != nil else { return nil }
            let late = now - occurrence.at > lateCampaignGraceMillis
            let state: CampaignRun.State = late ? .skipped : .ran
            try db.prepare(
                """
                INSERT INTO campaign_runs(campaign_id, occurrence, at, state, is_last, created_at) VALUES(?,?,?,?,?,?)
                ON CONFLICT(campaign_id, occurrence) DO NOTHING
                """
            ).run([
                .integer(c.id!), .integer(Int64(occurrence.index)), .integer(occurrence.at), .text(state.rawValue),
                .integer(last ? 1 : 0), .integer(now),
            ])
            guard db.changes == 1 else { return nil }
            let runID = db.lastInsertRowID
            var run = CampaignRun(occurrence: occurrence.index, at: occurrence.at, state: state, ranAt: now)
            if !late {
                let messageID = try Self.copyMessage(db, c.messageID!, now: now)
                try db.prepare("UPDATE campaign_runs SET message_id = ? WHERE id = ?").run([
                    .integer(messageID), .integer(runID),
                ])
                _ = try Self.fanOut(
                    db, messageID: messageID, list: c.list, segment: c.segment, channels: c.channels, at: now, now: now)
                run.messageID = messageID
                run.counts = try Self.counts(db, messageID: messageID)
            }
            try db.prepare(
                "UPDATE campaigns SET started_at = COALESCE(started_at, ?), state = ?, missed = 0 WHERE id = ?"
            ).run([
                .integer(now), .text((last ? Campaign.State.running : .recurring).rawValue), .integer(c.id!),
            ])
            return run
        }
    }

    public func campaignRuns(campaign name: String) throws -> [CampaignRun] {
        try with { db in
            guard let c = try Self.campaign(db, named: name) else { throw CampaignError.unknown(name) }
            return try db.prepare(
                "SELECT occurrence, at, state, message_id, created_at FROM campaign_runs WHERE campaign_id = ? ORDER BY occurrence"
            ).rows([.integer(c.id!)], Self.readRun).map { r in
                var run = r
                if let id = r.messageID { run.counts = try Self.counts(db, messageID: id) }
                return run
            }
        }
    }

    public func latestCampaignRun(campaign name: String) throws -> CampaignRun? {
        try with { db in
            try db.prepare(
                """
                SELECT r.occurrence, r.at, r.state, r.message_id, r.created_at FROM campaign_runs r
                JOIN campaigns c ON c.id = r.campaign_id WHERE c.name = ? ORDER BY r.occurrence DESC LIMIT 1
                """
            ).rows([.text(name)], Self.readRun).first
        }
    }

    static func readRun(_ s: SQLiteStatement) -> CampaignRun {
        CampaignRun(
            occurrence: Int(s.int(0)), at: s.int(1), state: CampaignRun.State(rawValue: s.text(2)) ?? .ran,
            messageID: s.optionalInt(3), ranAt: s.int(4))
    }

    /// A copy of the message for one run: every column but its identity and idempotency key, read
    /// from the table so a column added later is copied too.
    private static func copyMessage(_ db: SQLiteDatabase, _ id: Int64, now: Int64) throws -> Int64 {
        let skip: Set<String> = ["id", "created_at", "idempotency_key", "request_hash"]
        let columns = try db.prepare("SELECT name FROM pragma_table_info('messages')").rows([]) { $0.text(0) }
            .filter { !skip.contains($0) }.joined(separator: ", ")
        try db.prepare("INSERT INTO messages(\(columns), created_at) SELECT \(columns), ? FROM messages WHERE id = ?")
            .run([.integer(now), .integer(id)])
        return db.lastInsertRowID
    }

    private static func counts(_ db: SQLiteDatabase, messageID: Int64) throws -> [DeliveryState: Int] {
        let rows = try db.prepare("SELECT state, COUNT(*) FROM deliveries WHERE message_id = ? GROUP BY state")
            .rows([.integer(messageID)]) { (DeliveryState(rawValue: $0.text(0)), Int($0.int(1))) }
        var out: [DeliveryState: Int] = [:]
        for (s, n) in rows { if let s { out[s] = n } }
        return out
    }
}
