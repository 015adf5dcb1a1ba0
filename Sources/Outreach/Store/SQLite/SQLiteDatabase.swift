import CSQLite
import Foundation

/// A failed SQLite call, with SQLite's own message and the statement involved.
public struct SQLiteError: Error, CustomStringConvertible {
    public var code: Int32
    public var message: String
    public var sql: String?
    public var description: String {
        "The database failed: \(message)" + (sql.map { " (in \($0.prefix(80)))" } ?? "")
    }
    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }
    public var isConstraint: Bool { code & 0xff == SQLITE_CONSTRAINT }
}

/// One SQLite connection. Not thread-safe: the store keeps it behind a Mutex.
public final class SQLiteDatabase {
    let handle: OpaquePointer
    private var cache: [String: SQLiteStatement] = [:]
    private var literalCache: [Int: SQLiteStatement] = [:]
    public let path: String

    /// Set once per process, before the first connection opens (sqlite3_config refuses later calls).
    private static let configured: Void = { _ = outreach_sqlite_disable_memstatus() }()

    /// Opens (creating) the file in WAL mode with `synchronous=FULL`, so a commit survives power loss.
    public init(path: String) throws(SQLiteError) {
        Self.configured
        var h: OpaquePointer?
        let rc = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let h else {
            let msg = h.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let h { sqlite3_close_v2(h) }
            throw SQLiteError(code: rc, message: "\(msg): \(path)", sql: nil)
        }
        handle = h
        self.path = path
        sqlite3_busy_timeout(h, 10_000)
        // New files only (an existing database keeps its page size). 8 KiB pages: a group commit
        // of API triggers then writes fewer log frames, and the daemon benchmark ran ~5 % faster
        // than with 4 KiB in paired runs; 1 KiB was 20 % slower, 16 KiB no better.
        try execute("PRAGMA page_size=8192")
        try execute("PRAGMA journal_mode=WAL")
        try execute("PRAGMA synchronous=FULL")
        try execute("PRAGMA foreign_keys=ON")
        // What is deleted is overwritten (an erase must leave no copy of the person in free space).
        try execute("PRAGMA secure_delete=ON")
        // 64 MB of page cache (grown only as used): a large import or fan-out then keeps its dirty
        // pages in memory until the commit instead of spilling them to the WAL midway.
        try execute("PRAGMA cache_size=-65536")
    }

    deinit {
        cache.removeAll()
        literalCache.removeAll()
        sqlite3_close_v2(handle)
    }

    func error(_ rc: Int32, _ sql: String?) -> SQLiteError {
        SQLiteError(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }

    /// Runs one or more statements that return no rows.
    public func execute(_ sql: String) throws(SQLiteError) {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let msg = err.map { String(cString: $0) } ?? "error \(rc)"
            sqlite3_free(err)
            throw SQLiteError(code: rc, message: msg, sql: sql)
        }
    }

    /// `prepare` for SQL written in the source: cached by the literal's address, which is cheaper to
    /// look up than hashing the text (the group committer prepares several statements per request).
    public func prepare(literal sql: StaticString) throws(SQLiteError) -> SQLiteStatement {
        let key = Int(bitPattern: sql.utf8Start)
        if let s = literalCache[key] {
            // Callers bind every parameter, so the old bindings need no clearing.
            sqlite3_reset(s.stmt)
            return s
        }
        let s = try prepare(sql.description)
        literalCache[key] = s
        return s
    }

    /// A prepared statement, cached by its SQL text and reset for reuse.
    public func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        if let s = cache[sql] {
            s.reset()
            return s
        }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw error(rc, sql) }
        let s = SQLiteStatement(stmt, database: self, sql: sql)
        cache[sql] = s
        return s
    }

    /// Runs `body` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so two
    /// processes claiming work serialise instead of deadlocking on lock upgrade.
    /// BEGIN and COMMIT are prepared once: parsing them anew cost as much as a small enqueue.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try prepare(literal: "BEGIN IMMEDIATE").run()
        do {
            let v = try body()
            try prepare(literal: "COMMIT").run()
            return v
        } catch {
            try? execute("ROLLBACK")
            throw error
        }
    }

    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }
    public var changes: Int { Int(sqlite3_changes(handle)) }
}

extension SQLiteDatabase {
    /// `wal_checkpoint(TRUNCATE)`: true when every frame was copied and the log is now empty.
    func checkpointTruncate() throws(SQLiteError) -> Bool {
        var logFrames: Int32 = 0
        var copied: Int32 = 0
        let rc = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_TRUNCATE, &logFrames, &copied)
        if rc == SQLITE_BUSY || rc == SQLITE_LOCKED { return false }
        guard rc == SQLITE_OK else { throw error(rc, "wal_checkpoint(TRUNCATE)") }
        return logFrames == 0 || logFrames == copied
    }
}
