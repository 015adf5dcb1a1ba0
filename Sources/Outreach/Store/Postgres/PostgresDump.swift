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
        Int(try database.rows("SELECT count(*) FROM \(SQLiteDump.quoted(table))") { try $0.int(0) }.first ?? 0)
    }

    public func dumpRows(_ table: String, columns: [String], _ body: ([DumpValue]) throws -> Void) throws {
        let known = Dictionary(try types(table), uniquingKeysWith: { a, _ in a })
        let kinds = columns.map { known[$0] ?? "text" }
        let select = "SELECT \(columns.map(SQLiteDump.quoted).joined(separator: ", ")) FROM \(SQLiteDump.quoted(table))"
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

    public func dumpLoad(_ body: (_ insert: (String, [String], [DumpValue]) throws -> Void) throws -> Void) throws {
        var tables: Set<String> = []
        try database.transaction {
            try database.execute(PostgresSchema.hookTriggers(for: []))
            try body { table, columns, row in
                tables.insert(table)
                let marks = (1...columns.count).map { "$\($0)" }.joined(separator: ", ")
                // Each value as text: the column's type reads it (`1` is true, `\x…` bytes).
                try database.query(
                    "INSERT INTO \(SQLiteDump.quoted(table))(\(columns.map(SQLiteDump.quoted).joined(separator: ", "))) "
                        + "VALUES(\(marks))",
                    row.map(Self.parameter))
            }
            // The next id after the highest copied; a table without a serial id gives NULL, no change.
            for t in tables.sorted() where try dumpColumns(t).contains("id") {
                try database.query(
                    "SELECT setval(pg_get_serial_sequence($1, 'id'), COALESCE(MAX(id), 0) + 1, false) FROM "
                        + SQLiteDump.quoted(t), [.text(t)])
            }
        }
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
