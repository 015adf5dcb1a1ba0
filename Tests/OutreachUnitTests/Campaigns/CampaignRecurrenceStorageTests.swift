import Foundation
import Testing

@testable import Outreach

/// `campaigns create --every … --at` with an RFC 3339 time that had seconds was
/// accepted, but the stored recurrence (`start` written as "YYYY-MM-DD HH:MM:SS") could not be read
/// back: the campaign read as having no recurrence, and `CampaignRunner` skipped it forever without
/// a word. Seconds are refused with a sentence now; what is accepted reads back.
@Suite struct CampaignRecurrenceStorageTests {
    @Test func aRecurrenceWithSecondsReadsBack() throws {
        let zone = try #require(TimeZone(identifier: "Europe/Copenhagen"))
        #expect {
            _ = try CampaignRecurrence(every: "FREQ=WEEKLY", at: "2027-01-05T10:00:30+01:00", until: nil, zone: zone)
        } throws: { "\($0)".contains("--at") && "\($0)".contains("has seconds") }
        let r = try CampaignRecurrence(every: "FREQ=WEEKLY", at: "2027-01-05T10:00:00+01:00", until: nil, zone: zone)
        #expect(CampaignRecurrence(json: r.json) == r, "stored as \(r.json.serialized)")
    }
}
