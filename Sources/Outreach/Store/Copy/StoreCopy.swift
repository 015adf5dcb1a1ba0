/// `outreachd storage copy`: every table of one store into another, empty one, ids kept, in one
/// transaction on the target; then each table's rows counted on both sides.
///
/// A delivery leased for sending (`sending`) is copied as `queued` without its lease, due again:
/// the node that held the lease does not exist for the target. Everything else is copied as it is.
public struct StoreCopy {
    /// One table's rows on both sides after the copy.
    public struct TableCount: Sendable, Equatable {
        public var table: String
        public var source: Int
        public var target: Int
    }

    /// Tables in an order that inserts each row after the rows it references; a table not named
    /// here (one a later migration adds) comes after them, by name.
    static let order = [
        "contacts", "lists", "memberships", "consent_log", "preference_log", "suppressions", "suppression_removals",
        "bounce_scores", "messages", "deliveries", "bounces", "campaigns", "campaign_runs", "events",
        "reminder_runs", "channel_status", "hook_subscriptions", "hook_events",
    ]

    /// Tables about the running nodes, not the organisation's data: a copy's target has its own
    /// nodes (PostgreSQL's `nodes`: heartbeats of the source's nodes would be released at once)
    /// and its own clock (`send_pacing`: instants on the source database's clock).
    static let perNode: Set<String> = ["nodes", "send_pacing"]

    let source: any StoreDump
    let target: any StoreDump

    public init(from source: any StoreDump, to target: any StoreDump) {
        self.source = source
        self.target = target
    }

    /// Copies, then counts.
    /// - Returns: each table's rows in the source and in the target, equal.
    /// - Throws: `StoreCopyError` (a non-empty target, a table or column the target lacks, a count
    ///   that differs: checked before the commit too, so nothing is kept then); the backend's errors.
    @discardableResult
    public func run() throws -> [TableCount] {
        let tables = Self.ordered(try source.dumpTables().filter { !Self.perNode.contains($0) })
        let targetTables = Set(try target.dumpTables()).subtracting(Self.perNode)
        for t in targetTables.sorted() {
            let n = try target.dumpCount(t)
            if n > 0 { throw StoreCopyError.targetNotEmpty(store: target.dumpName, table: t, rows: n) }
        }
        var plan: [(table: String, columns: [String])] = []
        for t in tables {
            guard targetTables.contains(t) else { throw StoreCopyError.missingTable(store: target.dumpName, table: t) }
            let columns = try source.dumpColumns(t)
            let have = Set(try target.dumpColumns(t))
            if let c = columns.first(where: { !have.contains($0) }) {
                throw StoreCopyError.missingColumn(store: target.dumpName, table: t, column: c)
            }
            plan.append((t, columns))
        }
        try target.dumpLoad { loader in
            for (table, columns) in plan {
                let fix = table == "deliveries" ? Self.releaseLease(columns) : nil
                var copied = 0
                try source.dumpRows(table, columns: columns) { row in
                    try loader.insert(table, columns, fix?(row) ?? row)
                    copied += 1
                }
                if let id = try source.dumpHighestID(table) { try loader.reserveIDs(table, through: id) }
                // The source changed meanwhile (an outreachd still running on it): nothing is kept.
                let n = try source.dumpCount(table)
                if n != copied { throw StoreCopyError.countMismatch(table: table, source: n, target: copied) }
            }
        }
        var counts: [TableCount] = []
        for t in tables {
            let c = TableCount(table: t, source: try source.dumpCount(t), target: try target.dumpCount(t))
            if c.source != c.target { throw StoreCopyError.countMismatch(table: t, source: c.source, target: c.target) }
            counts.append(c)
        }
        return counts
    }

    static func ordered(_ tables: [String]) -> [String] {
        let known = order.filter(tables.contains)
        return known + tables.filter { !order.contains($0) }.sorted()
    }

    /// A `sending` delivery becomes `queued` with no lease: due again at its `next_attempt_at`,
    /// which is already past (it was claimed).
    static func releaseLease(_ columns: [String]) -> (([DumpValue]) -> [DumpValue])? {
        guard let state = columns.firstIndex(of: "state") else { return nil }
        let lease = ["lease_owner", "lease_expires_at"].compactMap { columns.firstIndex(of: $0) }
        return { row in
            guard row[state] == .text(DeliveryState.sending.rawValue) else { return row }
            var r = row
            r[state] = .text(DeliveryState.queued.rawValue)
            for i in lease { r[i] = .null }
            return r
        }
    }
}

/// Why `outreachd storage copy` stopped.
public enum StoreCopyError: Error, Equatable, CustomStringConvertible {
    case targetNotEmpty(store: String, table: String, rows: Int)
    case missingTable(store: String, table: String)
    case missingColumn(store: String, table: String, column: String)
    case countMismatch(table: String, source: Int, target: Int)
    case sourceMissing(String)
    case sourceSchema(store: String, found: Int, required: Int)

    public var description: String {
        switch self {
        case .targetNotEmpty(let s, let t, let n):
            return "The target \(s) is not empty (\(n) rows in \(t)); copy only into a new, empty store."
        case .missingTable(let s, let t):
            return "The target \(s) has no table \(t); upgrade outreachd or migrate the target."
        case .missingColumn(let s, let t, let c):
            return "The target \(s) has no column \(t).\(c); upgrade outreachd or migrate the target."
        case .countMismatch(let t, let s, let n):
            return "After the copy, \(t) holds \(n) rows in the target but \(s) in the source; "
                + "stop every outreachd using the source and copy again into an empty store."
        case .sourceMissing(let p): return "The source SQLite file \(p) does not exist."
        case .sourceSchema(let s, let f, let r):
            return "The source \(s) has schema version \(f) but this outreachd needs \(r); "
                + "run `outreachd storage migrate` on it first."
        }
    }
}
