extension SQLiteStore {
    /// Who of `list` a campaign's channel writes to: the one shape behind the fan-out, its counts
    /// and the preview (`audience`), so they cannot disagree. `c` is the contact, `s` the
    /// suppression of its address (NULL when none), `column` the address (NULL when it has none).
    struct Audience {
        var from: String
        var column: String
        var values: [SQLiteValue]
        /// The state the fan-out stores: a suppressed address is stored as `suppressed`.
        static let state = "CASE WHEN s.address IS NULL THEN 'queued' ELSE 'suppressed' END"
    }

    /// The subscribed members of `list` the segment selects (`only` some of them), with their
    /// address on `channel` and its suppression. Erased people who were imported again carry a
    /// plain suppression (see upsert), so one join suffices.
    static func audience(list: String, segment: Segment, channel: CampaignChannel, only: MemberRange? = nil) -> Audience
    {
        let column = addressColumn(channel)
        var sql = """
            FROM memberships m JOIN lists l ON l.id = m.list_id JOIN contacts c ON c.id = m.contact_id
            LEFT JOIN suppressions s ON s.address = \(column) WHERE l.name = ? AND m.state = 'subscribed'
            """
        var values: [SQLiteValue] = [.text(list)]
        switch only {
        case nil: break
        case .ids(let ids):
            sql += " AND c.id IN (SELECT value FROM json_each(?))"
            values.append(.text("[" + ids.map(String.init).joined(separator: ",") + "]"))
        case .between(let first, let last):
            sql += " AND c.id BETWEEN ? AND ?"
            values += [.integer(first), .integer(last)]
        }
        let selected = segmentSQL(segment)
        return Audience(from: sql + selected.sql, column: column, values: values + selected.values)
    }

    /// One delivery per subscribed member of `list` (selected by `segment`) and channel,
    /// inserted by SQLite itself in one `INSERT … SELECT` per channel — no contacts in memory.
    /// Suppressed addresses are inserted as `suppressed`; a room channel gets one delivery.
    /// Running it again for the same message inserts nothing new.
    /// `only` restricts it to some members (those who just joined the list). With `prefer` (an
    /// event's), someone with both an email and a phone gets one of them (`RecipientAddress.choice`),
    /// and `counting`, members no channel reaches are counted by what they have (`FanOut.phoneOnly`, `emailOnly`).
    static func fanOut(
        _ db: SQLiteDatabase, messageID: Int64, list: String, segment: Segment,
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
                try db.prepare(
                    """
                    INSERT INTO deliveries(message_id, channel, address, state, next_attempt_at, created_at, updated_at)
                    VALUES(?, ?, ?, 'queued', ?, ?, ?) ON CONFLICT(message_id, channel, address) DO NOTHING
                    """
                ).run([
                    .integer(messageID), .text(ch.name), .text(RecipientAddress.room), .integer(at), .integer(now),
                    .integer(now),
                ])
                out.queued += db.changes
                continue
            }
            var a = audience(list: list, segment: segment, channel: ch, only: only)
            if let prefer, let choice = RecipientAddress.choice(for: ch, among: channels, fallback: prefer) {
                a.from +=
                    " AND NOT (\(addressColumn(CampaignChannel(name: "", address: choice.other))) IS NOT NULL"
                    + " AND COALESCE(c.preferred_channel, ?) = ?)"
                a.values += [.text(choice.fallback.rawValue), .text(choice.leftOutWhenPreferring.rawValue)]
            }
            out.noAddress += Int(
                try db.prepare("SELECT COUNT(*) \(a.from) AND \(a.column) IS NULL").rows(a.values) { $0.int(0) }.first
                    ?? 0)
            try db.prepare(
                """
                INSERT INTO deliveries(message_id, contact_id, channel, address, name, locale, timezone, state, next_attempt_at, last_error, created_at, updated_at)
                SELECT ?, c.id, ?, \(a.column), c.name, c.locale, c.timezone, \(Audience.state), ?,
                       CASE WHEN s.address IS NULL THEN NULL ELSE 'suppressed: ' || s.reason END, ?, ?
                \(a.from) AND \(a.column) IS NOT NULL
                ON CONFLICT(message_id, channel, address) DO NOTHING
                """
            )
            .run([.integer(messageID), .text(ch.name), .integer(at), .integer(now), .integer(now)] + a.values)
            out.queued += db.changes
        }
        out.suppressed = try suppressedDeliveries(db, messageID: messageID) - suppressedBefore
        out.queued -= out.suppressed
        return out
    }

    /// The fan-out's audience of one channel, counted instead of inserted: per language, with an
    /// address or not, suppressed (why) or not. Addresses are counted once, as the fan-out's
    /// `ON CONFLICT` keeps one delivery per address.
    static func audienceGroups(_ db: SQLiteDatabase, list: String, segment: Segment, channel: CampaignChannel) throws
        -> [CampaignAudience.Group]
    {
        let a = audience(list: list, segment: segment, channel: channel)
        return try db.prepare(
            """
            SELECT c.locale, \(a.column) IS NOT NULL, s.reason, COUNT(DISTINCT \(a.column)), COUNT(*), MIN(c.id)
            \(a.from) GROUP BY 1, 2, 3
            """
        ).rows(a.values) { r in
            let hasAddress = r.int(1) != 0
            return CampaignAudience.Group(
                locale: r.optionalText(0), hasAddress: hasAddress, suppression: r.optionalText(2),
                count: Int(hasAddress ? r.int(3) : r.int(4)), firstContactID: r.int(5))
        }
    }

    /// Members with no address on any of `channels` that write to each person, by whether they
    /// have only a phone or only an email (nobody is counted when every channel is a room).
    private static func countUnreached(
        _ db: SQLiteDatabase, list: String, channels: [CampaignChannel], only: MemberRange?, into out: inout FanOut
    ) throws {
        let people = channels.filter { $0.address != .room }
        guard !people.isEmpty else { return }
        let a = audience(list: list, segment: Segment(), channel: people[0], only: only)
        let none = Set(people.map(addressColumn)).map { "\($0) IS NULL" }.joined(separator: " AND ")
        for r in try db.prepare(
            "SELECT c.phone IS NOT NULL, c.email IS NOT NULL, COUNT(*) \(a.from) AND \(none) GROUP BY 1, 2"
        ).rows(a.values, { (phone: $0.int(0) != 0, email: $0.int(1) != 0, n: Int($0.int(2))) }) {
            if r.phone && !r.email { out.phoneOnly += r.n }
            if r.email && !r.phone { out.emailOnly += r.n }
        }
    }

    private static func suppressedDeliveries(_ db: SQLiteDatabase, messageID: Int64) throws -> Int {
        Int(
            try db.prepare("SELECT COUNT(*) FROM deliveries WHERE message_id = ? AND state = 'suppressed'").rows([
                .integer(messageID)
            ]) { $0.int(0) }.first ?? 0)
    }
}

extension SQLiteStore {
    /// The contact column a channel sends to.
    static func addressColumn(_ ch: CampaignChannel) -> String {
        switch ch.address {
        case .email: return "c.email"
        case .phone: return "c.phone"
        default:
            return "json_extract(c.attributes, '$.\""
                + (ch.attribute ?? "").replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: "'", with: "")
                + "\"')"
        }
    }

    /// The segment's rules (`Segment`) as ` AND …` conditions on the contact `c`, with their values.
    static func segmentSQL(_ segment: Segment) -> (sql: String, values: [SQLiteValue]) {
        var sql = ""
        var values: [SQLiteValue] = []
        for condition in segment.conditions {
            let field = condition.field
            func value(_ v: String) -> SQLiteValue { .text(field.ignoresCase ? v.lowercased() : v) }
            func placeholders(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ",") }
            switch field {
            case .list:
                let member =
                    "EXISTS (SELECT 1 FROM memberships m2 JOIN lists l2 ON l2.id = m2.list_id "
                    + "WHERE m2.contact_id = c.id AND m2.state = 'subscribed' AND l2.name IN "
                if !condition.anyOf.isEmpty {
                    sql += " AND \(member)(\(placeholders(condition.anyOf.count))))"
                    values += condition.anyOf.map(value)
                }
                if !condition.noneOf.isEmpty {
                    sql += " AND NOT \(member)(\(placeholders(condition.noneOf.count))))"
                    values += condition.noneOf.map(value)
                }
            case .locale:
                // `de` is the language: de, de-AT, de-CH. Values are checked tags (letters, digits, -).
                func matches(_ vs: [String]) -> String {
                    "(" + vs.map { _ in "lower(c.locale) = ? OR lower(c.locale) LIKE ?" }.joined(separator: " OR ")
                        + ")"
                }
                func pairs(_ vs: [String]) -> [SQLiteValue] { vs.flatMap { [value($0), value($0 + "-%")] } }
                if !condition.anyOf.isEmpty {
                    sql += " AND \(matches(condition.anyOf))"
                    values += pairs(condition.anyOf)
                }
                if !condition.noneOf.isEmpty {
                    sql += " AND (c.locale IS NULL OR NOT \(matches(condition.noneOf)))"
                    values += pairs(condition.noneOf)
                }
            default:
                let column: String
                switch field {
                case .email: column = "lower(c.email)"
                case .phone: column = "c.phone"
                case .timeZone: column = "c.timezone"
                case .country: column = "lower(json_extract(c.attributes, '$.country'))"
                case .attribute: column = "json_extract(c.attributes, ?)"
                default: column = "NULL"
                }
                // An attribute's path is bound once per use of the column.
                var path: [SQLiteValue] = []
                if case .attribute(let a) = field {
                    path = [.text("$.\"" + a.replacingOccurrences(of: "\"", with: "") + "\"")]
                }
                if !condition.anyOf.isEmpty {
                    sql += " AND \(column) IN (\(placeholders(condition.anyOf.count)))"
                    values += path + condition.anyOf.map(value)
                }
                if !condition.noneOf.isEmpty {
                    sql += " AND (\(column) IS NULL OR \(column) NOT IN (\(placeholders(condition.noneOf.count))))"
                    values += path + path + condition.noneOf.map(value)
                }
            }
        }
        return (sql, values)
    }

    /// How far a campaign's audience gets: members, selected, with an address, all suppressed.
    static func reach(
        _ db: SQLiteDatabase, list: String, segment: Segment, channels: [CampaignChannel]
    ) throws -> CampaignReach {
        let from = "FROM memberships m JOIN lists l ON l.id = m.list_id JOIN contacts c ON c.id = m.contact_id"
        let listed = "l.name = ? AND m.state = 'subscribed'"
        func count(_ sql: String, _ values: [SQLiteValue]) throws -> Int {
            Int(try db.prepare(sql).rows(values) { $0.int(0) }.first ?? 0)
        }
        var r = CampaignReach()
        r.members = try count("SELECT COUNT(*) \(from) WHERE \(listed)", [.text(list)])
        let selected = segmentSQL(segment)
        let base: [SQLiteValue] = [.text(list)] + selected.values
        r.matching = try count("SELECT COUNT(*) \(from) WHERE \(listed)\(selected.sql)", base)
        let people = channels.filter { $0.address != .room }
        guard !people.isEmpty else { return r }
        let columns = people.map(addressColumn)
        let anyAddress = columns.map { "\($0) IS NOT NULL" }.joined(separator: " OR ")
        r.withAddress = try count("SELECT COUNT(*) \(from) WHERE \(listed)\(selected.sql) AND (\(anyAddress))", base)
        let reachable = columns.map { "(\($0) IS NOT NULL AND \($0) NOT IN (SELECT address FROM suppressions))" }
            .joined(separator: " OR ")
        let unsuppressed = try count("SELECT COUNT(*) \(from) WHERE \(listed)\(selected.sql) AND (\(reachable))", base)
        r.suppressed = r.withAddress - unsuppressed
        return r
    }
}

/// Some of a list's members, by contact id.
enum MemberRange {
    case ids([Int64])
    /// Contacts inserted by one import chunk have consecutive ids.
    case between(Int64, Int64)
}
