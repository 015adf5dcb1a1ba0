import Foundation

/// `StoreDump` on a SQLite file: the source of `outreachd storage copy` (queried only: `PRAGMA
/// query_only`, never migrated) or its target (created and migrated like any store file).
public final class SQLiteDump: StoreDump {
    private let database: SQLiteDatabase
    public let dumpName: String

    /// Opens `path`.
    /// - Parameter target: true creates and migrates the file; false requires it to exist at this
    ///   outreachd's schema version and changes nothing in it.
    /// - Throws: `StoreCopyError.sourceMissing`, `.sourceSchema`; `SQLiteError`.
    public init(path: String, target: Bool) throws {
        dumpName = "SQLite \(path)"
        if target {
            _ = try SQLiteStore(path: path)
        } else if !FileManager.default.fileExists(atPath: path) {
            throw StoreCopyError.sourceMissing(path)
        }
        database = try SQLiteDatabase(path: path)
        if !target {
            try database.execute("PRAGMA query_only=ON")
            let v =
                try database.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").rows {
                    Int($0.int(0))
                }.first ?? 0
            guard v == SQLiteSchema.migrations.count else {
                throw StoreCopyError.sourceSchema(store: dumpName, found: v, required: SQLiteSchema.migrations.count)
            }
        }
    }

    public func dumpTables() throws -> [String] {
        try database.prepare(
            """
            SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                AND name NOT IN ('schema_migrations', 'consent_clock') ORDER BY name
            """
        ).rows { $0.text(0) }
    }

    public func dumpColumns(_ table: String) throws -> [String] {
        try database.prepare("SELECT name FROM pragma_table_info(?) ORDER BY cid").rows([.text(table)]) { $0.text(0) }
    }

    public func dumpCount(_ table: String) throws -> Int {
        Int(try database.prepare("SELECT count(*) FROM \(sqlIdentifier(table))").rows { $0.int(0) }.first ?? 0)
    }

    public func dumpRows(_ table: String, columns: [String], _ body: ([DumpValue]) throws -> Void) throws {
        let stmt = try database.prepare(
            "SELECT \(columns.map(sqlIdentifier).joined(separator: ", ")) FROM \(sqlIdentifier(table))")
        _ = try stmt.rows { s in try body((0..<Int32(columns.count)).map { DumpValue(s.value($0)) }) }
    }

    public func dumpHighestID(_ table: String) throws -> Int64? {
        // AUTOINCREMENT tables only (the hook outbox): the others give max(id) + 1 anyway.
        try database.prepare("SELECT seq FROM sqlite_sequence WHERE name = ?").rows([.text(table)]) { $0.int(0) }.first
    }

    public func dumpLoad(_ body: (any DumpLoader) throws -> Void) throws {
        try database.transaction {
            try database.execute(SQLiteSchema.hookTriggers(for: []))
            try body(Loader(database: database))
        }
    }

    private struct Loader: DumpLoader {
        let database: SQLiteDatabase

        func insert(_ table: String, _ columns: [String], _ row: [DumpValue]) throws {
            let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
            try database.prepare(
                "INSERT INTO \(sqlIdentifier(table))(\(columns.map(sqlIdentifier).joined(separator: ", "))) VALUES(\(marks))"
            ).run(row.map(SQLiteValue.init))
        }

        func reserveIDs(_ table: String, through id: Int64) throws {
            // sqlite_sequence has a row for AUTOINCREMENT tables only; for the others nothing changes.
            let autoincrement =
                try database.prepare(
                    "SELECT count(*) FROM sqlite_master WHERE name = ? AND sql LIKE '%AUTOINCREMENT%'"
                ).rows([.text(table)]) { $0.int(0) }.first ?? 0
            guard autoincrement > 0 else { return }
            try database.prepare("DELETE FROM sqlite_sequence WHERE name = ? AND seq < ?").run([
                .text(table), .integer(id),
            ])
            try database.prepare(
                "INSERT INTO sqlite_sequence(name, seq) SELECT ?1, ?2 WHERE NOT EXISTS "
                    + "(SELECT 1 FROM sqlite_sequence WHERE name = ?1)"
            ).run([.text(table), .integer(id)])
        }
    }

}

extension DumpValue {
    init(_ v: SQLiteValue) {
        switch v {
        case .null: self = .null
        case .integer(let n): self = .integer(n)
        case .real(let d): self = .real(d)
        case .text(let s): self = .text(s)
        case .blob(let b): self = .blob(b)
        }
    }
}

extension SQLiteValue {
    init(_ v: DumpValue) {
        switch v {
        case .null: self = .null
        case .integer(let n): self = .integer(n)
        case .real(let d): self = .real(d)
        case .text(let s): self = .text(s)
        case .blob(let b): self = .blob(b)
        }
    }
}
