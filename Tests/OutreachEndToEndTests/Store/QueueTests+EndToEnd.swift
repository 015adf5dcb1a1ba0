import Foundation
import Testing

@testable import Outreach

/// A database from an older schema, built and read back with Python's sqlite3 module.
@Suite struct QueueTests {
    /// A database from before schema 4 kept keys in their own table with hex hashes: after the
    /// upgrade the old key still replays its message for the same body and refuses another one.
    @Test func keysFromBeforeTheMoveToMessagesStillReplay() throws {
        let path = TestSupport.temporaryDirectory("idem-upgrade") + "/o.db"
        let body = Array(#"{"template":"welcome"}"#.utf8)
        let hex = try TestSupport.python(
            "import sys, hashlib; print(hashlib.sha256(sys.stdin.buffer.read()).hexdigest())", stdin: body
        )
        .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            let db = try SQLiteDatabase(path: path)
            try db.execute("CREATE TABLE schema_migrations(version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)")
            for (i, sql) in SQLiteSchema.migrations.prefix(3).enumerated() {
                try db.execute(sql)
                try db.execute("INSERT INTO schema_migrations VALUES(\(i + 1), 0)")
            }
            try db.execute(
                "INSERT INTO messages(id, template, kind, created_at) VALUES(7, 'welcome', 'transactional', 0)")
            try db.execute(
                "INSERT INTO deliveries(id, message_id, channel, address, state, next_attempt_at, created_at, updated_at) VALUES(70, 7, 'outbox', 'a@example.org', 'queued', 0, 0, 0)"
            )
            try db.execute(
                "INSERT INTO idempotency(key, request_hash, message_id, created_at) VALUES('old-key', '\(hex)', 7, 0)")
        }
        let s = try SQLiteStore(path: path)
        let m = Message(template: "welcome")
        let d = [NewDelivery(channel: "outbox", address: "b@example.org")]
        let again = try s.enqueue(
            m, deliveries: d, idempotency: IdempotencyKey(key: "old-key", requestHash: Crypto.sha256(body)))
        #expect(again.replayed)
        #expect(again.messageID == 7)
        #expect(again.deliveryIDs == [70])
        #expect(throws: StoreError.idempotencyConflict(key: "old-key")) {
            try s.enqueue(
                m, deliveries: d,
                idempotency: IdempotencyKey(key: "old-key", requestHash: Crypto.sha256(Array("other".utf8))))
        }
        // New keys still work beside it, and nothing else was queued.
        #expect(
            try !s.enqueue(
                m, deliveries: d, idempotency: IdempotencyKey(key: "new-key", requestHash: Crypto.sha256(body))
            ).replayed)
        #expect(try s.queueCounts(messageID: nil)[.queued] == 2)
        let tables = try TestSupport.python(
            "import sqlite3, sys; print(sorted(r[0] for r in sqlite3.connect(sys.argv[1]).execute(\"SELECT name FROM sqlite_schema WHERE type='table'\")))",
            [path])
        #expect(!tables.stdout.contains("'idempotency'"))
    }
}
