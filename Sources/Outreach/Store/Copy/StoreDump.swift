/// One column's value as `outreachd storage copy` moves it between backends: SQLite's storage
/// classes, which PostgreSQL's columns map onto (BOOLEAN as 0/1, BYTEA as bytes).
public enum DumpValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// A store's tables, row by row: the backend plumbing of `StoreCopy` (Store/SQLite, Store/Postgres).
/// Ids are moved as they are; which rows mean what is `StoreCopy`'s business.
public protocol StoreDump: AnyObject {
    /// How the store is named in output ("SQLite PATH", "PostgreSQL"): never a password.
    var dumpName: String { get }
    /// The tables holding data, bookkeeping (schema version, SQLite's consent clock) left out.
    func dumpTables() throws -> [String]
    /// `table`'s columns, in their order.
    func dumpColumns(_ table: String) throws -> [String]
    /// How many rows `table` holds.
    func dumpCount(_ table: String) throws -> Int
    /// Calls `body` with each row of `table`'s `columns`, all read from one snapshot.
    func dumpRows(_ table: String, columns: [String], _ body: ([DumpValue]) throws -> Void) throws
    /// The highest id `table` ever handed out, when that is more than its rows show (ids of deleted
    /// rows never given again: the hook outbox's, which receivers deduplicate by); nil otherwise.
    func dumpHighestID(_ table: String) throws -> Int64?
    /// Runs `body` in one transaction with a loader adding rows as they are (ids kept); id
    /// sequences are set past the highest id before it commits. Hook triggers are dropped first:
    /// what is copied is no new event (the daemon makes them again as it starts).
    func dumpLoad(_ body: (any DumpLoader) throws -> Void) throws
}

/// What `StoreDump.dumpLoad` hands its body, inside the target's transaction.
public protocol DumpLoader {
    /// Adds one row of `table`, `row` in the order of `columns`.
    func insert(_ table: String, _ columns: [String], _ row: [DumpValue]) throws
    /// No id of `table` up to `id` is handed out after the copy (where the store can say so).
    func reserveIDs(_ table: String, through id: Int64) throws
}

/// `name` as a SQL identifier, in double quotes (SQLite and PostgreSQL alike).
func sqlIdentifier(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
