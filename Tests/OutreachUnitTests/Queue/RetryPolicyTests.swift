import Foundation
import OutreachTestFixtures
import Testing

@testable import Outreach

/// `RetryPolicy`: its backoff, its cap, its jitter, Retry-After, `max_age`, and the keys it reads.
/// (`QueueTests.retryPolicyBacksOffThenGivesUp` and `NumericInputTests` hold the first steps and
/// the overflow cases.)
@Suite struct RetryPolicyTests {
    func section(_ values: [String: ConfigValue]) -> ConfigSection {
        ConfigSection(name: "channels.email", file: "/etc/outreach/outreachd.conf", baseDirectory: "", values: values)
    }

    @Test func theBackoffDoublesUntilItsCap() {
        var p = RetryPolicy()
        p.baseMillis = 1_000
        p.capMillis = 10_000
        p.maxAttempts = 100
        p.maxAgeMillis = .max
        let delays = (1...6).map { p.retryAt(attempts: $0, createdAt: 0, now: 0, retryAfterSeconds: nil, random: 1) }
        #expect(delays == [1_000, 2_000, 4_000, 8_000, 10_000, 10_000])
    }

    @Test func jitterStaysWithinTwentyPercent() {
        let p = RetryPolicy()
        #expect(p.retryAt(attempts: 1, createdAt: 0, now: 0, retryAfterSeconds: nil, random: 0.8) == 24_000)
        #expect(p.retryAt(attempts: 1, createdAt: 0, now: 0, retryAfterSeconds: nil, random: 1.2) == 36_000)
        // The default jitter is drawn in 0.8...1.2.
        for _ in 0..<200 {
            let at = p.retryAt(attempts: 1, createdAt: 0, now: 0, retryAfterSeconds: nil) ?? -1
            #expect((24_000...36_000).contains(at), "retry after \(at) ms")
        }
    }

    @Test func retryAfterIsTakenAsIsAndANegativeOneIsIgnored() {
        let p = RetryPolicy()
        #expect(p.retryAt(attempts: 3, createdAt: 0, now: 500, retryAfterSeconds: 0) == 500)
        #expect(p.retryAt(attempts: 3, createdAt: 0, now: 500, retryAfterSeconds: 0.25) == 750)
        #expect(p.retryAt(attempts: 1, createdAt: 0, now: 0, retryAfterSeconds: -5, random: 1) == 30_000)
    }

    @Test func aRetryPastMaxAgeIsNoRetry() {
        var p = RetryPolicy()
        p.maxAgeMillis = 60_000
        p.baseMillis = 30_000
        #expect(p.retryAt(attempts: 1, createdAt: 0, now: 30_000, retryAfterSeconds: nil, random: 1) == 60_000)
        #expect(p.retryAt(attempts: 1, createdAt: 0, now: 30_001, retryAfterSeconds: nil, random: 1) == nil)
        #expect(p.retryAt(attempts: 1, createdAt: 0, now: 0, retryAfterSeconds: 61, random: 1) == nil)
    }

    @Test func theSectionSetsEveryKey() throws {
        let p = try RetryPolicy(
            section: section(["max_attempts": .integer(3), "max_age": "2h", "retry_base": "10s", "retry_max": "5m"]))
        #expect(p.maxAttempts == 3)
        #expect(p.maxAgeMillis == 7_200_000)
        #expect(p.baseMillis == 10_000)
        #expect(p.capMillis == 300_000)
        #expect(try RetryPolicy(section: section([:])) == RetryPolicy())
    }

    @Test(arguments: [
        (["max_attempts": ConfigValue.integer(0)], "max_attempts"),
        (["max_age": "soon"], "max_age"),
        (["retry_base": "0s"], "retry_base"),
        (["retry_max": "-5m"], "retry_max"),
    ])
    func badValuesNameTheKey(values: [String: ConfigValue], key: String) {
        do {
            _ = try RetryPolicy(section: section(values))
            Issue.record("accepted \(values)")
        } catch {
            #expect("\(error)".contains(key), "\(error)")
        }
    }
}
