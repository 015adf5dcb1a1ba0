import Foundation
import Glibc
import Synchronization

/// The embedded store: one SQLite file in WAL mode.
public final class SQLiteStore: Store {
    /// The connection is used only while `lock` is held.
    private nonisolated(unsafe) let database: SQLiteDatabase
    private let lock = Mutex(())
    /// A second connection, opened on first use, for reads that walk a whole table (the queue
    /// depth at every `/metrics` scrape): in WAL mode it reads a snapshot while the writer goes
    /// on, so such a read never holds up the group committer.
    private let reader = Mutex<SQLiteDatabase?>(nil)
    public let path: String
    /// Group-commit batches rolled back and redone one savepoint per request (see `enqueueBatch`).
    let slowPathCount = Atomic<Int>(0)
    /// The channels' paces (`SendPacing`): in this process, as one file is one host.
    let pacing = LocalPacing()

    /// Opens or creates the database and applies pending migrations.
    /// A scheduled campaign found this much past its time (the daemon was down) is paused for the
    /// officer instead of being sent late; `[campaigns] grace` in the configuration.
    public let lateCampaignGraceMillis: Int64

    /// How a refused recipient during the SMTP session counts (`[bounces] threshold`): the rules
    /// are `BounceRules`', applied in `complete`'s transaction.
    public let bouncePolicy: BouncePolicy

    public init(path: String, lateCampaignGraceMillis: Int64 = 3_600_000, bouncePolicy: BouncePolicy = BouncePolicy())
        throws
    {
        self.lateCampaignGraceMillis = lateCampaignGraceMillis
        self.bouncePolicy = bouncePolicy
        let dir = (path as NSString).deletingLastPathComponent
        // Owner-only: the file holds personal data, and SQLite makes its -wal and -shm like it.
        if !dir.isEmpty { try PrivateFiles.makeDirectory(dir) }
        try PrivateFiles.createFile(path)
        let database = try SQLiteDatabase(path: path)
        try SQLiteStore.migrate(database)
        self.path = path
        self.database = database
    }

    /// Opens the store the configuration names.
    public static func open(_ config: Config) throws -> SQLiteStore {
        guard let p = config.sqlitePath else { throw StoreError.unsupportedURL(config.storageURL) }
        return try SQLiteStore(
            path: p, lateCampaignGraceMillis: try config.lateCampaignGraceMillis(),
            bouncePolicy: try BouncePolicy(config: config))
    }

    static func migrate(_ db: SQLiteDatabase) throws {
        try db.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")
        let current =
            try db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").rows { Int($0.int(0)) }.first ?? 0
        if current > SQLiteSchema.migrations.count {
            throw StoreError.schemaTooNew(found: current, supported: SQLiteSchema.migrations.count)
        }
        for (i, sql) in SQLiteSchema.migrations.enumerated() where i + 1 > current {
            try db.transaction {
                // Another process may have migrated while we waited for the lock.
                let now =
                    try db.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations").rows { Int($0.int(0)) }
                    .first ?? 0
                guard now < i + 1 else { return }
                try db.execute(sql)
                try db.prepare("INSERT INTO schema_migrations(version, applied_at) VALUES(?, ?)")
                    .run([.integer(Int64(i + 1)), .integer(WallClock.nowMillis())])
            }
        }
    }

    /// Runs `body` with the connection held.
    func with<T: Sendable>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        try lock.withLock { _ in try body(database) }
    }

    /// Runs `body` on the reading connection: committed data only, without the writer's lock.
    func reading<T: Sendable>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        try reader.withLock { r in
            if r == nil {
                let db = try SQLiteDatabase(path: path)
                // It only reads, and only scans: it never writes, and keeps a small page cache
                // (the writer's 64 MB would be held a second time by every scrape's index walk).
                try db.execute("PRAGMA query_only=ON")
                try db.execute("PRAGMA cache_size=-2048")
                r = db
            }
            return try body(r!)
        }
    }

    /// Runs `body` in one write transaction.
    func write<T: Sendable>(_ body: (SQLiteDatabase) throws -> T) throws -> T {
        try write(checkingReferences: true, syncing: true, body)
    }

    /// One write transaction, optionally without foreign-key checks (bulk writes whose references
    /// hold by construction: ids selected from the parent table in the same transaction; the checks
    /// double the cost of a membership row) and optionally without the fsync at commit (the caller
    /// then calls `syncCommitted()` before telling anyone it is durable). Both pragmas only take
    /// effect outside a transaction, and both are put back after it. Switching foreign keys
    /// expires every prepared statement, so it is for long transactions (imports), not per request.
    func write<T: Sendable>(checkingReferences: Bool, syncing: Bool, _ body: (SQLiteDatabase) throws -> T) throws -> T {
        try lock.withLock { _ in
            if !checkingReferences { try database.execute("PRAGMA foreign_keys=OFF") }
            if !syncing { try database.prepare(literal: "PRAGMA synchronous=NORMAL").run() }
            defer {
                if !checkingReferences { try? database.execute("PRAGMA foreign_keys=ON") }
                if !syncing { try? database.prepare(literal: "PRAGMA synchronous=FULL").run() }
            }
            return try database.transaction { try body(database) }
        }
    }

    /// Flushes the write-ahead log, where every commit is until a checkpoint copies it into the
    /// database file (and a checkpoint syncs that file before the log is reused). fsync works on
    /// the file, not the descriptor, so a descriptor of our own flushes what SQLite wrote.
    public func syncCommitted() throws {
        let wal = path + "-wal"
        let fd = Glibc.open(wal, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return }  // no log: everything is in the database file, synced
            throw StoreError.syncFailed(path: wal, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        guard fdatasync(fd) == 0 else {
            throw StoreError.syncFailed(path: wal, reason: String(cString: strerror(errno)))
        }
    }

    public var schemaVersion: Int {
        (try? with { d in try d.prepare("SELECT MAX(version) FROM schema_migrations").rows { Int($0.int(0)) }.first ?? 0
        }) ?? 0
    }
}

extension SQLiteValue {
    init(_ s: String?) { self = s.map { .text($0) } ?? .null }
    init(_ i: Int64?) { self = i.map { .integer($0) } ?? .null }
}

extension SQLiteStore {
    /// Copies the log into the database file and truncates it to zero bytes, retrying while a
    /// reader (another process, the daemon's reading connection) still holds an older snapshot.
    /// Gives up quietly at the deadline: the next automatic checkpoint finishes the job.
    /// - Returns: whether the log was emptied.
    @discardableResult
    public func checkpointTruncating(deadlineMillis: Int64) throws -> Bool {
        let end = WallClock.nowMillis() + deadlineMillis
        while true {
            let done = try with { db in try db.checkpointTruncate() }
            if done { return true }
            if WallClock.nowMillis() >= end { return false }
            usleep(20_000)
        }
    }
}
