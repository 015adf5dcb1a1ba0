import Foundation
import OutreachTestFixtures
import Testing

@testable import Outreach

/// `QuietHours`: the window's text, whether an instant is in it for a recipient's zone, and when
/// it ends. Instants are fixed (15 January and 29 March 2026); nothing reads the clock.
@Suite struct QuietHoursTests {
    let utc = TimeZone(identifier: "UTC")!
    /// 2026-01-15T00:00:00Z.
    let midnight: Int64 = 1_768_435_200_000
    let hour: Int64 = 3_600_000

    func at(_ h: Int64, minutes m: Int64 = 0) -> Int64 { midnight + h * hour + m * 60_000 }

    @Test(arguments: ["21:00-08:00", "00:00-24:00", " 9:30 - 17:45 ", "12:00-12:01"])
    func validWindowsParse(text: String) {
        #expect(QuietHours(text, fallbackZone: utc) != nil)
    }

    @Test(arguments: ["", "21:00", "21-08", "25:00-08:00", "21:60-08:00", "24:01-08:00", "08:00-08:00", "a:b-c:d"])
    func invalidWindowsAreRefused(text: String) {
        #expect(QuietHours(text, fallbackZone: utc) == nil)
    }

    @Test func aWindowWithinOneDay() throws {
        let q = try #require(QuietHours("12:00-14:00", fallbackZone: utc))
        #expect(q.deferral(now: at(11, minutes: 59), zone: nil) == nil)
        #expect(q.deferral(now: at(12), zone: nil) == at(14))
        #expect(q.deferral(now: at(13, minutes: 59), zone: nil) == at(14))
        #expect(q.deferral(now: at(14), zone: nil) == nil)
    }

    @Test func aWindowOverMidnightEndsTheNextMorning() throws {
        let q = try #require(QuietHours("21:00-08:00", fallbackZone: utc))
        #expect(q.deferral(now: at(20, minutes: 59), zone: nil) == nil)
        #expect(q.deferral(now: at(21), zone: nil) == at(32))
        #expect(q.deferral(now: at(23, minutes: 30), zone: nil) == at(32))
        #expect(q.deferral(now: at(3), zone: nil) == at(8))
        #expect(q.deferral(now: at(8), zone: nil) == nil)
    }

    @Test func theRecipientsZoneWinsOverTheFallback() throws {
        let q = try #require(QuietHours("21:00-08:00", fallbackZone: utc))
        // 12:00 UTC: 21:00 in Tokyo (quiet until 08:00 there, 23:00 UTC), 07:00 in New York (quiet until 13:00 UTC).
        #expect(q.deferral(now: at(12), zone: "Asia/Tokyo") == at(23))
        #expect(q.deferral(now: at(12), zone: "America/New_York") == at(13))
        #expect(q.deferral(now: at(12), zone: "Europe/Copenhagen") == nil)
        // A zone name that is not one falls back.
        #expect(q.deferral(now: at(12), zone: "Mars/Olympus") == nil)
        let tokyoZone = try #require(TimeZone(identifier: "Asia/Tokyo"))
        let tokyo = try #require(QuietHours("21:00-08:00", fallbackZone: tokyoZone))
        #expect(tokyo.deferral(now: at(12), zone: nil) == at(23))
        #expect(tokyo.deferral(now: at(12), zone: "Mars/Olympus") == at(23))
    }

    @Test func anEndThatSummerTimeSkipsIsTheNextWallClockTime() throws {
        // 29 March 2026 in Copenhagen: 02:00 CET jumps to 03:00 CEST (01:00 UTC).
        let copenhagen = try #require(TimeZone(identifier: "Europe/Copenhagen"))
        let q = try #require(QuietHours("22:00-02:30", fallbackZone: copenhagen))
        let dayBefore: Int64 = 1_774_735_200_000  // 2026-03-28T22:00:00Z = 23:00 CET
        let end = try #require(q.deferral(now: dayBefore, zone: nil))
        #expect(end == 1_774_746_000_000)  // 2026-03-29T01:00:00Z = 03:00 CEST
    }

    @Test func theSectionsKeysAreRead() throws {
        func section(_ values: [String: ConfigValue]) -> ConfigSection {
            ConfigSection(name: "channels.sms", file: "/etc/outreach/outreachd.conf", baseDirectory: "", values: values)
        }
        #expect(try QuietHours.from(section([:])) == nil)
        let q = try #require(
            try QuietHours.from(section(["quiet_hours": "21:00-08:00", "quiet_hours_zone": "Asia/Tokyo"])))
        #expect(q.start == 21 * 60 && q.end == 8 * 60)
        #expect(q.fallbackZone.identifier == "Asia/Tokyo")
        #expect(throws: ConfigError.self) { try QuietHours.from(section(["quiet_hours": "late"])) }
        #expect(throws: ConfigError.self) {
            try QuietHours.from(section(["quiet_hours": "21:00-08:00", "quiet_hours_zone": "Mars/Olympus"]))
        }
    }
}
