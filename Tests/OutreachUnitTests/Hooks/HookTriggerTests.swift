import Foundation
import OutreachTestFixtures
import Testing

@testable import Outreach

/// The SQLite triggers themselves: they see every path that changes a state, SQL written by hand
/// included, and `complained`, which no store method sets yet (issue 17's complaint handling will).
@Suite struct HookTriggerTests {
    @Test func anyUpdateOfTheStateIsRecordedAndComplaintsToo() throws {
        let store = try SQLiteStore(path: TestSupport.temporaryDirectory("hooks") + "/o.db")
        try store.subscribeHooks(to: [.deliveryComplained, .deliveryBounced])
        let m = try store.enqueue(
            Message(template: "welcome"),
            deliveries: [NewDelivery(channel: "outbox", address: "ana@example.org")], idempotency: nil)
        let id = m.deliveryIDs[0]
        try store.with { db in
            try db.execute("UPDATE deliveries SET state = 'sent', updated_at = 5 WHERE id = \(id)")
            try db.execute(
                "UPDATE deliveries SET state = 'complained', last_error = 'abuse report', updated_at = 7 WHERE id = \(id)"
            )
            try db.execute("UPDATE deliveries SET state = 'complained', updated_at = 8 WHERE id = \(id)")
        }
        #expect(try store.pendingHookEvents() == 1)
        let crm = try StoreConformance.hook("crm", [.deliveryComplained])
        #expect(try store.fanOutHookEvents(to: [crm], limit: 10, now: 10).deliveries == [crm.channel: 1])
        let event = try #require(try StoreConformance.hookEvents(store, channel: crm.channel).first?.1)
        #expect(event.type == .deliveryComplained && event.at == 7)
        #expect(event.data["state"] == "complained" && event.data["diagnostic"] == "abuse report")
        // Unsubscribing drops the triggers: nothing more is recorded.
        try store.subscribeHooks(to: [])
        try store.with { db in try db.execute("UPDATE deliveries SET state = 'bounced' WHERE id = \(id)") }
        #expect(try store.pendingHookEvents() == 0)
        let triggers = try store.with { db in
            try db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'hook_%'").rows {
                $0.text(0)
            }
        }
        #expect(triggers.isEmpty)
    }
}
