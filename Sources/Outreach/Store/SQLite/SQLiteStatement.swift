import CSQLite

/// A value bound to or read from a statement.
public enum SQLiteValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

extension SQLiteValue {
    /// Row ids as one JSON array, for `IN (SELECT value FROM json_each(?))`: one statement for a
    /// whole batch instead of one a row.
    static func idList(_ ids: some Sequence<Int64>) -> SQLiteValue {
        .text("[" + ids.map(String.init).joined(separator: ",") + "]")
    }
}

/// A prepared statement. Bind with `bind(_:)`, then `step()` or `rows()`.
public final class SQLiteStatement {
    let stmt: OpaquePointer
    unowned let database: SQLiteDatabase
    let sql: String

    init(_ stmt: OpaquePointer, database: SQLiteDatabase, sql: String) {
        self.stmt = stmt
        self.database = database
        self.sql = sql
    }

    deinit { sqlite3_finalize(stmt) }

    func reset() {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
    }

    @discardableResult
    public func bind(_ values: [SQLiteValue]) throws(SQLiteError) -> SQLiteStatement {
        sqlite3_reset(stmt)
        for (i, v) in values.enumerated() {
            let idx = Int32(i + 1)
            let rc: Int32
            switch v {
            case .null: rc = sqlite3_bind_null(stmt, idx)
            case .integer(let n): rc = sqlite3_bind_int64(stmt, idx, n)
            case .real(let d): rc = sqlite3_bind_double(stmt, idx, d)
            case .text(let s): rc = bindText(s, at: idx)
            case .blob(let b):
                rc = b.withUnsafeBytes { p in
                    sqlite3_bind_blob(
                        stmt, idx, p.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(p.count),
                        outreach_sqlite_transient())
                }
            }
            if rc != SQLITE_OK { throw database.error(rc, sql) }
        }
        return self
    }

    /// Binds one value by position (1-based) without building an array: for per-row statements.
    public func bind(_ idx: Int32, _ value: String?) throws(SQLiteError) {
        let rc = value.map { bindText($0, at: idx) } ?? sqlite3_bind_null(stmt, idx)
        if rc != SQLITE_OK { throw database.error(rc, sql) }
    }

    public func bind(_ idx: Int32, _ value: Int64?) throws(SQLiteError) {
        let rc = value.map { sqlite3_bind_int64(stmt, idx, $0) } ?? sqlite3_bind_null(stmt, idx)
        if rc != SQLITE_OK { throw database.error(rc, sql) }
    }

    /// Runs with the values bound so far, then resets for the next row.
    public func runBound() throws(SQLiteError) {
        while try step() {}
        sqlite3_reset(stmt)
    }

    /// Binds a native string's UTF-8 in place (SQLite copies it); avoids building a C string per value.
    private func bindText(_ s: String, at idx: Int32) -> Int32 {
        var s = s
        return s.withUTF8 { b in
            guard let base = b.baseAddress else {
                return sqlite3_bind_text(stmt, idx, "", 0, outreach_sqlite_transient())
            }
            return base.withMemoryRebound(to: CChar.self, capacity: b.count) {
                sqlite3_bind_text(stmt, idx, $0, Int32(b.count), outreach_sqlite_transient())
            }
        }
    }

    /// Advances one row; false when done.
    public func step() throws(SQLiteError) -> Bool {
        let rc = sqlite3_step(stmt)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        let e = database.error(rc, sql)
        sqlite3_reset(stmt)
        throw e
    }

    /// Runs a statement that returns no rows.
    public func run(_ values: [SQLiteValue] = []) throws(SQLiteError) {
        try bind(values)
        try runBound()
    }

    /// Runs and maps every row.
    public func rows<T>(_ values: [SQLiteValue] = [], _ map: (SQLiteStatement) throws -> T) throws -> [T] {
        try bind(values)
        var out: [T] = []
        while try step() { out.append(try map(self)) }
        sqlite3_reset(stmt)
        return out
    }

    public func int(_ col: Int32) -> Int64 { sqlite3_column_int64(stmt, col) }
    public func isNull(_ col: Int32) -> Bool { sqlite3_column_type(stmt, col) == SQLITE_NULL }
    public func optionalInt(_ col: Int32) -> Int64? { isNull(col) ? nil : int(col) }
    public func double(_ col: Int32) -> Double { sqlite3_column_double(stmt, col) }
    public func optionalDouble(_ col: Int32) -> Double? { isNull(col) ? nil : double(col) }
    public func text(_ col: Int32) -> String {
        guard let p = sqlite3_column_text(stmt, col) else { return "" }
        return String(cString: p)
    }
    public func optionalText(_ col: Int32) -> String? { isNull(col) ? nil : text(col) }
    /// The column's value in its storage class.
    public func value(_ col: Int32) -> SQLiteValue {
        switch sqlite3_column_type(stmt, col) {
        case SQLITE_NULL: return .null
        case SQLITE_INTEGER: return .integer(int(col))
        case SQLITE_FLOAT: return .real(double(col))
        case SQLITE_BLOB: return .blob(bytes(col))
        default: return .text(text(col))
        }
    }
    /// The column's bytes, whatever its type (a text column gives its UTF-8).
    public func bytes(_ col: Int32) -> [UInt8] {
        let n = Int(sqlite3_column_bytes(stmt, col))
        guard n > 0, let p = sqlite3_column_blob(stmt, col) else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: n))
    }
}
