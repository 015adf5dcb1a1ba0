import Foundation
import OutreachTestFixtures
import Testing
@testable import Channels
@testable import Outreach

/// `[channels.email]` keys: wrong combinations are refused naming the key (`rate` is the pipeline's:
/// ChannelScheduleTests).
@Suite struct SMTPSettingsTests {
    func settings(_ values: [String: ConfigValue]) throws -> SMTPSettings {
        try SMTPSettings(section: ChannelSections.make("email", ["type": .string("smtp")].merging(values) { $1 }))
    }

    @Test func defaultsFollowTheScheme() throws {
        #expect(try settings(["url": .string("smtp://relay.example.org:587")]).tls == .starttls)
        #expect(try settings(["url": .string("smtps://relay.example.org:465")]).tls == .implicit)
    }

    @Test(arguments: [
        (["url": ConfigValue.string("http://relay.example.org")], "url"),
        (["url": .string("smtp://relay.example.org"), "tls": .string("implicit")], "tls"),
        (["url": .string("smtps://relay.example.org"), "tls": .string("none")], "tls"),
        (["url": .string("smtp://relay.example.org"), "tls": .string("try")], "tls"),
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

}
