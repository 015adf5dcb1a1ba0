import Foundation
import Synchronization

/// The PostgreSQL store of issue 20: every store protocol, held to the same conformance suite as
/// SQLite, on a database several outreachd nodes may share (claims with `FOR UPDATE SKIP LOCKED`,
/// idempotency keys unique in the enqueue's transaction). `[storage] url = "postgresql://…"`.
///
/// One connection, used under a lock, connected again when the server closed it; every write is
/// one transaction, durable when it returns (`synchronous_commit` as the server has it: on by
/// default). Erasure cannot zero what it deletes here as SQLite's `secure_delete` does: it runs
/// VACUUM after (`eraseContact`, docs/scale-out.md says what that leaves).
public final class PostgresStore: ContactStore, ConsentStore, DeliveryQueue {
    /// The connection is used only while `lock` is held.
    private nonisolated(unsafe) let database: PostgresConnection
    private let lock = Mutex(())
    /// The health probe's connection (`checkReachable`), apart from the store's so a long
    /// transaction does not hold it up; opened on first use, dropped when it fails.
    private let probe = Mutex<PostgresConnection?>(nil)
    /// The sessions holding the advisory locks of the duties this node leads (`leads`).
    let dutySessions = Mutex<[Duty: PostgresConnection]>([:])
    /// Before this instant (uptime ns) a closed connection is not tried again: calls fail at once
    /// meanwhile, rather than each waiting for a server that is away. Used under `lock`.
    private nonisolated(unsafe) var reconnectNotBefore: UInt64 = 0
    /// Whether the session's settings (`prepareSession`) were made since it last connected. Used under `lock`.
    private nonisolated(unsafe) var sessionPrepared = true
    /// What `connect` needs to open another connection (the probe, VACUUM after an erase).
    let url: String
    let password: String?
    /// Group-commit batches redone one savepoint per request (see `enqueueBatch`).
    let slowPathCount = Atomic<Int>(0)
    /// A scheduled campaign found this much past its time is paused instead of sent late.
    public let lateCampaignGraceMillis: Int64
    /// How a refused recipient during the SMTP session counts (`BounceRules`, in `complete`).
    public let bouncePolicy: BouncePolicy

    /// Connects, and applies pending migrations or checks that none is pending.
    /// - Parameters:
    ///   - url: a `postgresql://user@host:5432/db` URL (`?host=/run/postgresql` for a socket) or a
    ///     libpq key/value string.
    ///   - password: the password, when it is not in `url` (read from a `password_file`).
    ///   - migrate: true applies the migrations (tests, `outreachd storage migrate`); false refuses
    ///     a database behind this outreachd's schema, so nodes never race a schema change at start.
    /// - Throws: `PostgresError` (the password never in it); `StoreError.schemaTooNew`,
    ///   `StoreError.notMigrated`.
    public init(
        url: String, password: String? = nil, migrate: Bool = true, lateCampaignGraceMillis: Int64 = 3_600_000,
        bouncePolicy: BouncePolicy = BouncePolicy()
    ) throws {
        self.lateCampaignGraceMillis = lateCampaignGraceMillis
        self.bouncePolicy = bouncePolicy
        self.url = url
        self.password = password
        let database = try Self.connect(url, password)
        if migrate {
            try PostgresSchema.migrate(database)
        } else {
            try PostgresSchema.requireCurrent(database)
        }
        self.database = database
    }

    /// A connection to the store's database, giving up after 10 s without an answer.
    static func connect(_ url: String, _ password: String?, timeoutSeconds: Int = 10) throws -> PostgresConnection {
        let c = try PostgresConnection(url, password: password, settings: [("connect_timeout", String(timeoutSeconds))])
        try prepareSession(c)
        return c
    }

    /// Accepted means stored: a commit returns only once it is on the server's disk, whatever the
    /// database's or the role's own `synchronous_commit` says (`off` acknowledges before the disk).
    /// A session setting, so it is set again after every reconnect. Through PgBouncer this needs
    /// session pooling (docs/scale-out.md, "Topology").
    static func prepareSession(_ c: PostgresConnection) throws {
        try c.execute("SET synchronous_commit = on")
    }

    /// The schema version the database is at.
    public var schemaVersion: Int { (try? with { db in try PostgresSchema.version(db) }) ?? 0 }

    /// Runs `body` with the connection held (reads: each statement sees what is committed).
    func with<T: Sendable>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try lock.withLock { _ in
            try reconnectIfClosed()
            return try body(database)
        }
    }

    /// Runs `body` in one transaction; one that another session's got in the way of (a deadlock,
    /// a serialization failure: `PostgresError.isRetryable`) is rolled back whole and run again,
    /// at most `writeAttempts` times in all. A body does only database work, so running it again
    /// is the same as running it once.
    func write<T: Sendable>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try lock.withLock { _ in
            var attempt = 1
            while true {
                try reconnectIfClosed()
                do {
                    return try database.transaction { try body(database) }
                } catch let e as PostgresError where e.isRetryable && attempt < Self.writeAttempts {
                    attempt += 1
                }
            }
        }
    }

    /// How many times `write` runs a transaction that keeps meeting deadlocks or serialization failures.
    static let writeAttempts = 3

    /// The server closed the connection (a restart, a failover): one attempt to connect again,
    /// at most once a second, so the store recovers by itself once the server is back. The call
    /// that found it closed has failed already; nothing it wrote was acknowledged.
    /// A session whose settings could not be made (`prepareSession`) is used for nothing until they are.
    private func reconnectIfClosed() throws {
        guard !database.isConnected || !sessionPrepared else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let attempted = now >= reconnectNotBefore
        if attempted { reconnectNotBefore = now + 1_000_000_000 }
        guard attempted, database.isConnected || database.reconnect() else {
            throw PostgresError(
                sqlState: "08006", message: "the connection to PostgreSQL is lost and could not be made again")
        }
        sessionPrepared = (try? Self.prepareSession(database)) != nil
        guard sessionPrepared else {
            throw PostgresError(sqlState: "08006", message: "the connection to PostgreSQL could not be set up again")
        }
    }

    /// `SELECT 1` on the probe connection, which waits at most `timeoutMillis` for the server.
    /// - Throws: `PostgresError` when the database does not answer.
    public func checkReachable(timeoutMillis: Int) throws {
        try probe.withLock { conn in
            do {
                let c = try conn ?? Self.connect(url, password, timeoutSeconds: max(2, timeoutMillis / 1000))
                if conn == nil {
                    try c.execute("SET statement_timeout = \(timeoutMillis)")
                    conn = c
                }
                try c.execute("SELECT 1")
            } catch {
                conn = nil
                throw error
            }
        }
    }

    /// Runs `sql` on a connection of its own, outside any transaction (VACUUM), so the store's
    /// connection is not held meanwhile.
    func runApart(_ sql: String) throws {
        let c = try Self.connect(url, password)
        try c.execute(sql)
    }
}

// Declared apart, as the protocols' extensions (`+Campaigns`, `+Events`, `+Bounces`, `+Hooks`) each
// conform where they are written.
extension PostgresStore: Store {}

extension PostgresValue {
    /// A `bigint[]` parameter (`$1::bigint[]`).
    static func bigints(_ ids: [Int64]) -> PostgresValue {
        .text("{" + ids.map(String.init).joined(separator: ",") + "}")
    }

    /// A `text[]` parameter (`$1::text[]`), each element quoted.
    static func texts(_ items: [String]) -> PostgresValue { optionalTexts(items) }

    /// A `text[]` parameter (`$1::text[]`), each element quoted, NULL for nil.
    static func optionalTexts(_ items: [String?]) -> PostgresValue {
        .text(
            "{"
                + items.map {
                    guard let s = $0 else { return "NULL" }
                    let escaped = s.replacingOccurrences(of: "\\", with: "\\\\")
                    return "\"" + escaped.replacingOccurrences(of: "\"", with: "\\\"") + "\""
                }.joined(separator: ",") + "}")
    }
}

extension PostgresStore {
    /// `outreachd storage migrate`: applies the pending migrations, each in its own transaction
    /// under the migration lock (run twice at once, they apply once).
    /// - Returns: the schema version before and after.
    /// - Throws: `PostgresError` (the password never in it); `StoreError.schemaTooNew`.
    public static func migrate(url: String, password: String?) throws -> (from: Int, to: Int) {
        let db = try connect(url, password)
        let before = try PostgresSchema.version(db)
        return (before, try PostgresSchema.migrate(db))
    }
}
