import Foundation
import Outreach
import Testing

@Suite struct StandardWebhooksTests {
    /// Timestamps at the edges of Int are refused with a finite skew instead of trapping.
    @Test func extremeTimestampsAreRefused() throws {
        let hooks = StandardWebhooks(key: Array("k".utf8))
        for ts in [Int.min, Int.max, Int.min + 808] {
            let headers = ["webhook-id": "x", "webhook-timestamp": String(ts), "webhook-signature": "v1,AAAA"]
            do {
                try hooks.verify(headers: headers, body: [])
                Issue.record("accepted \(ts)")
            } catch {
                #expect(error != .signatureMismatch)
                #expect(!error.description.isEmpty)
            }
        }
    }
}
