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
            let v = try database.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").rows {
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
        Int(try database.prepare("SELECT count(*) FROM \(Self.quoted(table))").rows { $0.int(0) }.first ?? 0)
    }

    public func dumpRows(_ table: String, columns: [String], _ body: ([DumpValue]) throws -> Void) throws {
        let stmt = try database.prepare(
            "SELECT \(columns.map(Self.quoted).joined(separator: ", ")) FROM \(Self.quoted(table))")
        _ = try stmt.rows { s in try body((0..<Int32(columns.count)).map { DumpValue(s.value($0)) }) }
    }

    public func dumpLoad(_ body: (_ insert: (String, [String], [DumpValue]) throws -> Void) throws -> Void) throws {
        try database.transaction {
            try database.execute(SQLiteSchema.hookTriggers(for: []))
            try body { table, columns, row in
                let marks = Array(repeating: "?", count: columns.count).joined(separator: ", ")
                try database.prepare(
                    "INSERT INTO \(Self.quoted(table))(\(columns.map(Self.quoted).joined(separator: ", "))) "
                        + "VALUES(\(marks))"
                ).run(row.map(SQLiteValue.init))
            }
        }
    }

    static func quoted(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
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
