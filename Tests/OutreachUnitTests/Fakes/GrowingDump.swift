@testable import Outreach

/// Counts one row more in `table` than it hands out.
final class GrowingDump: StoreDump {
    let base: SQLiteDump
    let table: String
    init(_ base: SQLiteDump, table: String) {
        self.base = base
        self.table = table
    }
    var dumpName: String { base.dumpName }
    func dumpTables() throws -> [String] { try base.dumpTables() }
    func dumpColumns(_ t: String) throws -> [String] { try base.dumpColumns(t) }
    func dumpCount(_ t: String) throws -> Int { try base.dumpCount(t) + (t == table ? 1 : 0) }
    func dumpRows(_ t: String, columns: [String], _ body: ([DumpValue]) throws -> Void) throws {
        try base.dumpRows(t, columns: columns, body)
    }
    func dumpHighestID(_ t: String) throws -> Int64? { try base.dumpHighestID(t) }
    func dumpLoad(_ body: (any DumpLoader) throws -> Void) throws { try base.dumpLoad(body) }
}
