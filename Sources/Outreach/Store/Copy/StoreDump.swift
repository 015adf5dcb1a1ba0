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
    /// Runs `body` in one transaction, `insert(table, columns, row)` adding a row as it is (ids
    /// kept); id sequences are set past the highest id before it commits. Hook triggers are
    /// dropped first: what is copied is no new event (the daemon makes them again as it starts).
    func dumpLoad(_ body: (_ insert: (String, [String], [DumpValue]) throws -> Void) throws -> Void) throws
}
