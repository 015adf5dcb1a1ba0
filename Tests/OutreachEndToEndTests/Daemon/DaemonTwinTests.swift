import Foundation
import Testing
@testable import Outreach

/// Issue 14.13: the same Idempotency-Key sent twice at once (a client retrying on timeout, an
/// at-least-once webhook source), through the real daemon and an independent client.
@Suite struct DaemonTwinTests {
    /// A sample's value in Prometheus text (`name value`, no labels), or nil when it is absent.
    static func sample(_ metrics: String, _ name: String) -> Double? {
        metrics.split(separator: "\n").lazy.compactMap { line -> Double? in
            let parts = line.split(separator: " ")
            return parts.count == 2 && parts[0] == name ? Double(parts[1]) : nil
        }.first
    }

    /// Every key sent twice at once by `daemon_client.py twins`: per key the two answers (and,
    /// seeded, a third: the answer to the second body sent alone before).
    static func twins(_ d: DaemonHarness, keys: Int, pairs: Int, seeded: Bool = false) throws -> [[JSON]] {
        let args = [DaemonHarness.client, "twins", d.base + "/v1/messages", d.token, String(keys), String(pairs)]
        let run = try TestSupport.run("python3", args + (seeded ? ["seeded"] : []))
        #expect(run.status == 0, "\(run.stderr)")
        let answers = try #require(try JSON.parse(run.stdout).arrayValue).map { $0.arrayValue ?? [] }
        #expect(answers.count == keys)
        #expect(answers.allSatisfy { $0.count == (seeded ? 3 : 2) }, "\(answers)")
        return answers
    }

    static func address(_ answer: JSON) -> String? {
        let body = try? JSON.parse(answer["body"]?.stringValue ?? "")
        return body?["deliveries"]?.arrayValue?.first?["address"]?.stringValue
    }

    static func isReplay(_ answer: JSON, of seed: JSON) -> Bool {
        answer["status"]?.intValue == 202 && answer["replayed"] == "true" && answer["body"] == seed["body"]
    }

    @Test func twinsInFlightGetTheFirstsAnswerAndNoBatchTakesTheSlowPath() throws {
        let d = try DaemonHarness()
        try d.start()
        let keys = 240
        for (k, pair) in try Self.twins(d, keys: keys, pairs: 8).enumerated() where pair.count == 2 {
            let (a, b) = (pair[0], pair[1])
            let statuses = [a["status"]?.intValue, b["status"]?.intValue]
            if k % 10 == 9 {
                // Another body under the same key: whichever came first is queued, the other refused.
                #expect(statuses.compactMap { $0 }.sorted() == [202, 409], "key \(k): \(pair)")
                let (queued, refused) = statuses[0] == 202 ? (a, b) : (b, a)
                let expected = statuses[0] == 202 ? "twin\(k)@example.org" : "other\(k)@example.org"
                #expect(Self.address(queued) == expected, "key \(k): \(pair)")
                #expect(refused["body"]?.stringValue?.contains("Idempotency-Key") == true, "key \(k): \(pair)")
            } else {
                // The same answer twice, once as a replay.
                #expect(statuses == [202, 202], "key \(k): \(pair)")
                #expect(a["body"] == b["body"], "key \(k): \(pair)")
                #expect(Self.address(a) == "twin\(k)@example.org", "key \(k): \(pair)")
                #expect([a["replayed"], b["replayed"]].filter { $0 == "true" }.count == 1, "key \(k): \(pair)")
            }
        }
        // One message, with its one delivery, per key.
        #expect(try d.queueCounts()["total"]?.intValue == keys)
        let metrics = try d.send(["method": "GET", "path": "/metrics"]).body
        #expect(Self.sample(metrics, "outreach_commit_slow_path_total") == 0, "\(metrics)")
        // Twins answered from the first's outcome never reached a batch; the others each did once.
        let twins = try #require(Self.sample(metrics, "outreach_idempotent_twins_total"), "\(metrics)")
        let committed = try #require(Self.sample(metrics, "outreach_commit_batch_size_sum"), "\(metrics)")
        #expect(twins + committed == Double(2 * keys))
        #expect(twins > 0)
        #expect(d.stop().status == 0)
    }

    /// Twins of a key stored before: the same body replays the stored answer, another body is
    /// refused, whichever of the two the daemon took first (a first refused for its body leaves
    /// its twin to the store, which replays it).
    @Test func twinsOfAStoredKeyReplayItOrAreRefused() throws {
        let d = try DaemonHarness()
        try d.start()
        let keys = 60
        for (k, three) in try Self.twins(d, keys: keys, pairs: 4, seeded: true).enumerated() where three.count == 3 {
            let (a, b, seed) = (three[0], three[1], three[2])
            #expect(seed["status"]?.intValue == 202 && seed["replayed"] == .null, "key \(k): \(three)")
            #expect(Self.isReplay(b, of: seed), "key \(k): \(three)")
            if k % 10 == 9 {
                #expect(a["status"]?.intValue == 409, "key \(k): \(three)")
            } else {
                #expect(Self.isReplay(a, of: seed), "key \(k): \(three)")
            }
        }
        #expect(try d.queueCounts()["total"]?.intValue == keys)
        let metrics = try d.send(["method": "GET", "path": "/metrics"]).body
        #expect(Self.sample(metrics, "outreach_commit_slow_path_total") == 0, "\(metrics)")
        #expect(d.stop().status == 0)
    }
}
