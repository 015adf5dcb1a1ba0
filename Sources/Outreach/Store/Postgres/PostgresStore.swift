import Foundation
import Synchronization

/// The PostgreSQL store of issue 20, for several outreachd nodes on one database: `ContactStore`,
/// `ConsentStore`, `DeliveryQueue` (claims with `FOR UPDATE SKIP LOCKED`), `CampaignStore` and
/// `EventStore`, each held to the conformance suite. Deliberately not declared a `Store`, so
/// nothing in the product can open it yet (`[storage] url = "postgresql://…"` is refused): an
/// erasure cannot overwrite what it deletes here (PostgreSQL keeps old row versions until VACUUM),
/// and one connection without reconnect is not yet fit for a daemon (docs/scale-out.md).
///
/// One connection, used under a lock; every write is one transaction, durable when it returns
/// (`synchronous_commit` as the server has it: on by default).
public final class PostgresStore: ContactStore, ConsentStore, DeliveryQueue {
    /// The connection is used only while `lock` is held.
    private nonisolated(unsafe) let database: PostgresConnection
    private let lock = Mutex(())
    /// Group-commit batches redone one savepoint per request (see `enqueueBatch`).
    let slowPathCount = Atomic<Int>(0)
    /// A scheduled campaign found this much past its time is paused instead of sent late.
    public let lateCampaignGraceMillis: Int64

    /// Connects and applies pending migrations.
    /// - Parameters:
    ///   - url: a `postgresql://user@host:5432/db` URL (`?host=/run/postgresql` for a socket) or a
    ///     libpq key/value string.
    ///   - password: the password, when it is not in `url` (read from a `password_file`).
    /// - Throws: `PostgresError` (the password never in it); `StoreError.schemaTooNew`.
    /// How a refused recipient during the SMTP session counts (`BounceRules`, in `complete`).
    public let bouncePolicy: BouncePolicy

    public init(
        url: String, password: String? = nil, lateCampaignGraceMillis: Int64 = 3_600_000,
        bouncePolicy: BouncePolicy = BouncePolicy()
    ) throws {
        self.lateCampaignGraceMillis = lateCampaignGraceMillis
        self.bouncePolicy = bouncePolicy
        let database = try PostgresConnection(url, password: password)
        try PostgresSchema.migrate(database)
        self.database = database
    }

    /// The schema version the database is at.
    public var schemaVersion: Int { (try? with { db in try PostgresSchema.version(db) }) ?? 0 }

    /// Runs `body` with the connection held (reads: each statement sees what is committed).
    func with<T: Sendable>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try lock.withLock { _ in try body(database) }
    }

    /// Runs `body` in one transaction.
    func write<T: Sendable>(_ body: (PostgresConnection) throws -> T) throws -> T {
        try lock.withLock { _ in try database.transaction { try body(database) } }
    }
}

extension PostgresValue {
    /// A `bigint[]` parameter (`$1::bigint[]`).
    static func bigints(_ ids: [Int64]) -> PostgresValue {
        .text("{" + ids.map(String.init).joined(separator: ",") + "}")
    }

    /// A `text[]` parameter (`$1::text[]`), each element quoted.
    static func texts(_ items: [String]) -> PostgresValue {
        .text(
            "{"
                + items.map {
                    "\"" + $0.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                        + "\""
                }.joined(separator: ",") + "}")
    }
}
