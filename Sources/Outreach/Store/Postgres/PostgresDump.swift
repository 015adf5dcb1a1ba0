/// `StoreDump` on a PostgreSQL database: the source of `outreachd storage copy` (every
/// transaction read-only, one snapshot per table) or its target (migrated first, as `outreachd
/// storage migrate` does, under the same lock).
public final class PostgresDump: StoreDump {
    private let database: PostgresConnection
    public let dumpName = "PostgreSQL"

    /// Connects to `url`.
    /// - Parameters:
    ///   - password: when it is not in `url` (a password file's content).
    ///   - target: true applies pending migrations; false requires the schema to be this
    ///     outreachd's and makes the session read-only.
    /// - Throws: `PostgresError` (the password never in it); `StoreError.notMigrated`, `.schemaTooNew`.
    public init(url: String, password: String?, target: Bool) throws {
        database = try PostgresStore.connect(url, password)
        if target {
            try PostgresSchema.migrate(database)
        } else {
            try PostgresSchema.requireCurrent(database)
            try database.execute("SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        }
    }

    public func dumpTables() throws -> [String] {
        try database.rows(
            """
            SELECT table_name FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> 'schema_version'
            ORDER BY table_name
            """
        ) { $0.text(0) }
    }

    public func dumpColumns(_ table: String) throws -> [String] {
        try types(table).map(\.0)
    }

    private func types(_ table: String) throws -> [(String, String)] {
        try database.rows(
            """
            SELECT column_name, data_type FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position
            """, [.text(table)]
        ) { ($0.text(0), $0.text(1)) }
    }

    public func dumpCount(_ table: String) throws -> Int {
        Int(try database.rows("SELECT count(*) FROM \(sqlIdentifier(table))") { try $0.int(0) }.first ?? 0)
    }

    public func dumpRows(_ table: String, columns: [String], _ body: ([DumpValue]) throws -> Void) throws {
        let known = Dictionary(try types(table), uniquingKeysWith: { a, _ in a })
        let kinds = columns.map { known[$0] ?? "text" }
        let select = "SELECT \(columns.map(sqlIdentifier).joined(separator: ", ")) FROM \(sqlIdentifier(table))"
        // A cursor: the table is read a thousand rows at a time, never whole into memory.
        try database.transaction {
            try database.execute("DECLARE dump NO SCROLL CURSOR FOR \(select)")
            while true {
                let rows = try database.query("FETCH 1000 FROM dump").rows
                for row in rows {
                    try body(try kinds.indices.map { try Self.value(row, $0, kinds[$0]) })
                }
                if rows.count < 1000 { break }
            }
            try database.execute("CLOSE dump")
        }
    }

    static func value(_ row: PostgresRow, _ i: Int, _ type: String) throws -> DumpValue {
        if row.isNull(i) { return .null }
        switch type {
        case "bigint", "integer", "smallint": return .integer(try row.int(i))
        case "boolean": return .integer(try row.bool(i) ? 1 : 0)
        case "double precision", "real": return .real(Double(row.text(i)) ?? 0)
        case "bytea": return .blob(try row.bytes(i))
        default: return .text(row.text(i))
        }
    }

    public func dumpHighestID(_ table: String) throws -> Int64? {
        guard let sequence = try sequence(table) else { return nil }
        return try database.rows("SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM \(sequence)")
        {
            try $0.int(0)
        }.first
    }

    /// The sequence of `table`'s serial `id`, as PostgreSQL names it (quoted where needed); nil without one.
    private func sequence(_ table: String) throws -> String? {
        guard try dumpColumns(table).contains("id") else { return nil }
        return try database.rows("SELECT pg_get_serial_sequence($1, 'id')", [.text(sqlIdentifier(table))]) {
            $0.optionalText(0)
        }.first ?? nil
    }

    public func dumpLoad(_ body: (any DumpLoader) throws -> Void) throws {
        try database.transaction {
            try database.execute(PostgresSchema.hookTriggers(for: []))
            let loader = Loader(database: database)
            try body(loader)
            // The next id after the highest copied or handed out in the source.
            for t in try dumpTables() {
                guard let sequence = try sequence(t) else { continue }
                try database.query(
                    "SELECT setval('\(sequence)', GREATEST(COALESCE(MAX(id), 0), $1) + 1, false) FROM "
                        + sqlIdentifier(t), [.integer(loader.reserved[t] ?? 0)])
            }
        }
    }

    private final class Loader: DumpLoader {
        let database: PostgresConnection
        var reserved: [String: Int64] = [:]
        init(database: PostgresConnection) { self.database = database }

        func insert(_ table: String, _ columns: [String], _ row: [DumpValue]) throws {
            let marks = (1...columns.count).map { "$\($0)" }.joined(separator: ", ")
            // Each value as text: the column's type reads it (`1` is true, `\x…` bytes).
            try database.query(
                "INSERT INTO \(sqlIdentifier(table))(\(columns.map(sqlIdentifier).joined(separator: ", "))) "
                    + "VALUES(\(marks))",
                row.map(PostgresDump.parameter))
        }

        func reserveIDs(_ table: String, through id: Int64) throws { reserved[table] = id }
    }

    static func parameter(_ v: DumpValue) -> PostgresValue {
        switch v {
        case .null: return .null
        case .integer(let n): return .integer(n)
        case .real(let d): return .text(String(d))
        case .text(let s): return .text(s)
        case .blob(let b): return .bytes(b)
        }
    }
}
