import Foundation
import Testing

@testable import Outreach

/// `StoreCopy` between two SQLite files, in-process (`StorageCopyTests` runs the binary on
/// PostgreSQL): ids kept, a leased delivery due again, the refusals, and nothing kept when the
/// source changes under the copy.
@Suite struct StoreCopyTests {
    static func source() throws -> (path: String, store: SQLiteStore) {
        let path = TestSupport.temporaryDirectory("copy-src") + "/o.db"
        let s = try SQLiteStore(path: path)
        _ = try s.enqueue(
            Message(template: "welcome"),
            deliveries: ["a@x.org", "b@x.org"].map { NewDelivery(channel: "outbox", address: $0) }, idempotency: nil)
        _ = try s.claim(channels: nil, limit: 1, owner: "node-a", leaseMillis: 60_000, now: WallClock.nowMillis())
        return (path, s)
    }

    @Test func aCopyKeepsIdsAndQueuesALeasedDeliveryAgain() throws {
        let (path, s) = try Self.source()
        let targetPath = TestSupport.temporaryDirectory("copy-dst") + "/o.db"
        let counts = try StoreCopy(
            from: try SQLiteDump(path: path, target: false), to: try SQLiteDump(path: targetPath, target: true)
        ).run()
        #expect(counts.first { $0.table == "deliveries" } == .init(table: "deliveries", source: 2, target: 2))
        #expect(counts.first?.table == "contacts" && counts.allSatisfy { $0.source == $0.target })
        let t = try SQLiteStore(path: targetPath)
        let copied = try t.deliveries(state: nil, messageID: nil, limit: 10)
        #expect(copied.map(\.id) == (try s.deliveries(state: nil, messageID: nil, limit: 10)).map(\.id))
        #expect(copied.map(\.state) == [.queued, .queued])
        #expect(try s.deliveries(state: .sending, messageID: nil, limit: 10).count == 1, "the source is unchanged")
        // Due again at once: claimed by another node.
        let claimed = try t.claim(
            channels: nil, limit: 5, owner: "node-b", leaseMillis: 60_000, now: WallClock.nowMillis())
        #expect(claimed.count == 2)
    }

    @Test func aTargetWithDataIsRefusedAndKeepsIt() throws {
        let (path, _) = try Self.source()
        let (other, o) = try Self.source()
        #expect(throws: StoreCopyError.targetNotEmpty(store: "SQLite \(other)", table: "deliveries", rows: 2)) {
            try StoreCopy(
                from: try SQLiteDump(path: path, target: false), to: try SQLiteDump(path: other, target: true)
            )
            .run()
        }
        #expect(try o.deliveries(state: .sending, messageID: nil, limit: 10).count == 1)
    }

    @Test func aMissingSourceIsRefusedAndNotCreated() throws {
        let path = TestSupport.temporaryDirectory("copy-none") + "/none.db"
        #expect(throws: StoreCopyError.sourceMissing(path)) { try SQLiteDump(path: path, target: false) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// A source written to during the copy (its count differs from the rows read): nothing is kept.
    @Test func aSourceThatChangesUnderTheCopyLeavesTheTargetEmpty() throws {
        let (path, _) = try Self.source()
        let targetPath = TestSupport.temporaryDirectory("copy-dst") + "/o.db"
        let target = try SQLiteDump(path: targetPath, target: true)
        #expect(throws: StoreCopyError.countMismatch(table: "deliveries", source: 3, target: 2)) {
            try StoreCopy(from: GrowingDump(try SQLiteDump(path: path, target: false), table: "deliveries"), to: target)
                .run()
        }
        #expect(try target.dumpTables().allSatisfy { try target.dumpCount($0) == 0 })
    }
}
