import Foundation
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
    ])
    func badCombinationsNameTheKey(values: [String: ConfigValue], key: String) throws {
        do {
            _ = try settings(values)
            Issue.record("accepted \(values)")
        } catch {
            #expect("\(error)".contains(key), "\(error)")
        }
    }

    @Test func rateLimitReleasesOneSecondsWorthAtOnce() {
        var unlimited = RateLimiter(perSecond: nil)
        #expect(unlimited.take(max: 1000) == 1000)
        var limited = RateLimiter(perSecond: 50)
        #expect(limited.take(max: 1000) == 50)
    }
}
