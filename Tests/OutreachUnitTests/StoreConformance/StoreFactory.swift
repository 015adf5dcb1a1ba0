import Foundation
import Outreach

/// A way to make an empty store of one backend. The conformance suite runs every check once per
/// factory: a second backend that is a whole `Store` is tested by adding one line to `all`. One
/// that implements only some protocols runs the lists of those (PostgreSQL does, in the end-to-end
/// layer, as its tests start a cluster: `PostgresStoreConformanceTests`).
struct StoreFactory: Sendable, CustomStringConvertible {
    let description: String
    let make: @Sendable () throws -> any Store

    static let sqlite = StoreFactory(description: "SQLite") {
        try SQLiteStore(path: TestSupport.temporaryDirectory("conformance") + "/outreach.db")
    }

    static let all: [StoreFactory] = [.sqlite]
}
