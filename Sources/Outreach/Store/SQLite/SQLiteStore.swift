import Foundation
import Synchronization

/// The embedded store: one SQLite file in WAL mode.
public final class SQLiteStore: Store {
    /// The connection is used only while `lock` is held.
    private nonisolated(unsafe) let database: SQLiteDatabase
    private let lock = Mutex(())
    public let path: String

    /// Opens or creates the database and applies pending migrations.
    /// A scheduled campaign found this much past its time (the daemon was down) is paused for the
    /// officer instead of being sent late; `[campaigns] grace` in the configuration.
    public let lateCampaignGraceMillis: Int64

    public init(path: String, lateCampaignGraceMillis: Int64 = 3_600_000) throws {
        self.lateCampaignGraceMillis = lateCampaignGraceMillis
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
        let database = try SQLiteDatabase(path: path)
        try SQLiteStore.migrate(database)
        self.path = path
        self.database = database
    }

    /// Opens the store the configuration names.
    public static func open(_ config: Config) throws -> SQLiteStore {
        guard let p = config.sqlitePath else { throw StoreError.unsupportedURL(config.storageURL) }
        var grace: Int64 = 3_600_000
        if let section = config.sections["campaigns"], let g = try section.string("grace") {
            guard let ms = Clock.parseDuration(g) else { throw section.invalid("grace", "must be a duration like 30m, 2h or 1d") }
            grace = ms
        }
        return try SQLiteStore(path: p, lateCampaignGraceMillis: grace)
    }

    static func migrate(_ db: SQLiteDatabase) throws {
        try db.execute("CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")
        let current = try db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").rows { Int($0.int(0)) }.first ?? 0
        if current > SQLiteSchema.migrations.count {
            throw StoreError.schemaTooNew(found: current, supported: SQLiteSchema.migrations.count)
        }
        for (i, sql) in SQLiteSchema.migrations.enumerated() where i + 1 > current {
            try db.transaction {
                // Another process may have migrated while we waited for the lock.
                let now = try db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").rows { Int($0.int(0)) }.first ?? 0
                guard now < i + 1 else { return }
                try db.execute(sql)
                try db.prepare("INSERT INTO schema_migrations(version, applied_at) VALUES(?, ?)")
                    .run([.integer(Int64(i + 1)), .integer(Clock.nowMillis())])
            }
        }
    }

    /// Runs `body` with the connection held.
    func with<T: Sendable>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        try lock.withLock { _ in try body(database) }
    }

    /// Runs `body` in one write transaction.
    func write<T: Sendable>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        try lock.withLock { _ in try database.transaction { try body(database) } }
    }

    /// One write transaction without foreign-key checks, for bulk writes whose references hold by
    /// construction (ids selected from the parent table in the same transaction): the checks
    /// double the cost of every membership row. The pragma only takes effect outside a transaction.
    func writeUncheckedReferences<T: Sendable>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        try lock.withLock { _ in
            try database.execute("PRAGMA foreign_keys=OFF")
            defer { try? database.execute("PRAGMA foreign_keys=ON") }
            return try database.transaction { try body(database) }
        }
    }

    public var schemaVersion: Int {
        (try? with { d in try d.prepare("SELECT MAX(version) FROM schema_migrations").rows { Int($0.int(0)) }.first ?? 0 }) ?? 0
    }
}

extension SQLiteValue {
    init(_ s: String?) { self = s.map { .text($0) } ?? .null }
    init(_ i: Int64?) { self = i.map { .integer($0) } ?? .null }
}
