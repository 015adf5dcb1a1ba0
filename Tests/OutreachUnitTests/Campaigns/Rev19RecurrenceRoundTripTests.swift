import Foundation
import Testing

@testable import Outreach

/// Review rev19: `campaigns create --every … --at` with an RFC 3339 time that has seconds is
/// accepted, but the stored recurrence (`start` written as "YYYY-MM-DD HH:MM:SS") cannot be read
/// back (`LocalDateTime(parsing:)` takes only "YYYY-MM-DD HH:MM"): the campaign reads as having no
/// recurrence, and `CampaignRunner` skips it forever without a word.
@Suite struct Rev19RecurrenceRoundTripTests {
    @Test func aRecurrenceWithSecondsReadsBack() throws {
        let zone = try #require(TimeZone(identifier: "Europe/Copenhagen"))
        let r = try CampaignRecurrence(every: "FREQ=WEEKLY", at: "2027-01-05T10:00:30+01:00", until: nil, zone: zone)
        #expect(CampaignRecurrence(json: r.json) != nil, "stored as \(r.json.serialized)")
    }
}
