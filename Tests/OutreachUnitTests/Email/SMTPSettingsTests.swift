import Foundation
import OutreachTestFixtures
import Testing
@testable import Channels
@testable import Outreach

/// `[channels.email]` keys: wrong combinations are refused naming the key; the rate limit's burst.
@Suite struct SMTPSettingsTests {
    func settings(_ values: [String: ConfigValue]) throws -> SMTPSettings {
        try SMTPSettings(section: ChannelSections.make("email", ["type": .string("smtp")].merging(values) { $1 }))
    }

    @Test func defaultsFollowTheScheme() throws {
        #expect(try settings(["url": .string("smtp://relay.example.org:587")]).tls == .starttls)
        #expect(try settings(["url": .string("smtps://relay.example.org:465")]).tls == .implicit)
        #expect(try settings(["url": .string("smtp://relay.example.org:587"), "rate": .string("600/m")]).rate == 10)
    }

    @Test(arguments: [
        (["url": ConfigValue.string("http://relay.example.org")], "url"),
        (["url": .string("smtp://relay.example.org"), "tls": .string("implicit")], "tls"),
        (["url": .string("smtps://relay.example.org"), "tls": .string("none")], "tls"),
        (["url": .string("smtp://relay.example.org"), "tls": .string("try")], "tls"),
        (["url": .string("smtp://relay.example.org"), "rate": .string("fast")], "rate"),
        (["url": .string("smtp://relay.example.org"), "max_connections": .integer(0)], "max_connections"),
        (["url": .string("smtp://relay.example.org"), "username": .string("news")], "password"),
        (["url": .string("smtp://relay.example.org"), "bounce_address": .string("bounces")], "bounce_address"),
        (["url": .string("smtp://relay.example.org"), "bounce_address": .string("<b@x.org>")], "bounce_address"),
        (
            [
                "url": .string("smtp://relay.example.org"),
                "bounce_address": .string(String(repeating: "b", count: 40) + "@x.org"),
            ],
            "bounce_address"
        ),
    ])
    func badCombinationsNameTheKey(values: [String: ConfigValue], key: String) throws {
        do {
            _ = try settings(values)
            Issue.record("accepted \(values)")
        } catch {
            #expect("\(error)".contains(key), "\(error)")
        }
    }

    @Test func aBounceAddressIsAPlainAddress() throws {
        let url: [String: ConfigValue] = ["url": .string("smtp://relay.example.org")]
        #expect(try settings(url).bounceAddress == nil)
        let s = try settings(url.merging(["bounce_address": .string("Bounces@News.Example.org")]) { $1 })
        #expect(s.bounceAddress == "bounces@news.example.org")
        do {
            _ = try settings(url.merging(["bounce_address": .string("bounces at example.org")]) { $1 })
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains("must be an email address like bounces@news.example.org"), "\(error)")
        }
    }

    @Test func rateLimitReleasesOneSecondsWorthAtOnce() {
        var unlimited = RateLimiter(perSecond: nil)
        #expect(unlimited.take(max: 1000) == 1000)
        var limited = RateLimiter(perSecond: 50)
        #expect(limited.take(max: 1000) == 50)
    }

    /// Over many takes the limiter never grants more than its burst plus the rate times the time
    /// elapsed. Only an upper bound on what was granted: a slow machine loosens it, never breaks it.
    @Test func rateHoldsOverManyTakes() {
        let rate = 100.0
        let start = Date()
        var limiter = RateLimiter(perSecond: rate)
        // From a full bucket: one second's worth (100) is there at once, in pieces.
        #expect(limiter.take(max: 30) == 30)
        #expect(limiter.take(max: 30) == 30)
        #expect(limiter.take(max: 30) == 30)
        var granted = 90
        while granted < 250 {
            let n = limiter.take(max: 7)
            #expect(n >= 1 && n <= 7)
            granted += n
            let allowed = rate + rate * Date().timeIntervalSince(start)
            #expect(Double(granted) <= allowed, "granted \(granted), the rate allows \(allowed)")
            if Double(granted) > allowed { break }
        }
    }
}
