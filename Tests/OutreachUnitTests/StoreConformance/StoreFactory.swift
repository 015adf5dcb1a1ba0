import Foundation
import Outreach

/// A way to make an empty store of one backend. The conformance suite runs every test once per
/// factory: a second backend is tested by adding one line to `all`.
struct StoreFactory: Sendable, CustomStringConvertible {
    let description: String
    let make: @Sendable () throws -> any Store

    static let sqlite = StoreFactory(description: "SQLite") {
        try SQLiteStore(path: TestSupport.temporaryDirectory("conformance") + "/outreach.db")
    }

    static let all: [StoreFactory] = [.sqlite]
}
