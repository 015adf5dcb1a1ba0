import Foundation
import Testing

@testable import Outreach

/// The core parts of issue 19.1 and 19.4 in process: an audience put together from a store's
/// groups, the send time read in a zone, the attachment rule, the test mark.
@Suite struct CampaignPartsTests {
    @Test func anAudienceSumsTheStoresGroupsAsTheFanOutCounts() {
        let mail = CampaignChannel(name: "mail", address: .email)
        let room = CampaignChannel(name: "board", address: .room)
        let groups = [
            CampaignAudience.Group(locale: "de", hasAddress: true, suppression: nil, count: 2, firstContactID: 7),
            CampaignAudience.Group(locale: "de", hasAddress: true, suppression: "bounce", count: 1, firstContactID: 3),
            CampaignAudience.Group(locale: nil, hasAddress: true, suppression: nil, count: 1, firstContactID: 9),
            CampaignAudience.Group(locale: nil, hasAddress: false, suppression: nil, count: 4, firstContactID: 1),
            CampaignAudience.Group(
                locale: "sv", hasAddress: true, suppression: "complaint", count: 1, firstContactID: 2),
        ]
        let a = CampaignAudience(
            channels: [mail, room], memberships: ["subscribed": 9, "unsubscribed": 2, "pending": 1], selected: 9
        ) { _ in groups }
        #expect(a.members == 9 && a.unsubscribed == 2 && a.pending == 1)
        let m = a.channels[0]
        #expect(m.locales.map(\.locale) == [nil, "de"] && m.locales.map(\.count) == [1, 2])
        #expect(m.locales.map(\.firstContactID) == [9, 7], "the first recipient, never a suppressed one")
        #expect(m.suppressed == ["bounce": 1, "complaint": 1] && m.noAddress == 4)
        #expect(a.channels[1].recipients == 1)
        var expected = FanOut()
        expected.queued = 4
        expected.suppressed = 2
        expected.noAddress = 4
        #expect(a.fanOut == expected)
    }

    @Test func aSendTimeWithoutAnOffsetIsReadInTheZoneByTheEventsRule() throws {
        let t = SendTime(zone: try #require(TimeZone(identifier: "Europe/Copenhagen")))
        let winter = try #require(t.parse("2027-01-05 10:00"))
        #expect(winter.millis == Timestamps.parse("2027-01-05T09:00:00Z") && winter.zone != nil)
        #expect(t.describe(winter.millis) == "2027-01-05 10:00 Europe/Copenhagen (UTC+01:00)")
        // 02:30 does not exist on 28 March 2027: moved forward by the gap, as events do.
        let gap = try #require(t.parse("2027-03-28 02:30"))
        #expect(t.describe(gap.millis) == "2027-03-28 03:30 Europe/Copenhagen (UTC+02:00)")
        let offset = try #require(t.parse("2027-01-05T10:00:00-05:00"))
        #expect(offset.zone == nil && offset.millis == Timestamps.parse("2027-01-05T15:00:00Z"))
        #expect(t.parse("5 January") == nil && t.parse("2027-02-30 10:00") == nil)
    }

    @Test func attachmentsAreRegularFilesWithinTheLimitAndEmailOnly() throws {
        let dir = TestSupport.temporaryDirectory("attach")
        let small = dir + "/a.pdf"
        #expect(FileManager.default.createFile(atPath: small, contents: Data(repeating: 1, count: 100)))
        #expect(try Attachments.checked([small]) == [small])
        #expect(throws: AttachmentError.unreadable(dir + "/none.pdf")) { try Attachments.checked([dir + "/none.pdf"]) }
        #expect(throws: AttachmentError.notAFile(dir)) { try Attachments.checked([dir]) }
        let big = dir + "/big.bin"
        #expect(FileManager.default.createFile(atPath: big, contents: nil))
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: big))
        try h.truncate(atOffset: UInt64(Attachments.maxTotalBytes))
        try h.close()
        #expect(try Attachments.checked([big]).count == 1, "the limit itself is allowed")
        #expect(throws: AttachmentError.tooLarge(bytes: Attachments.maxTotalBytes + 100)) {
            try Attachments.checked([big, small])
        }
        #expect(AttachmentError.tooLarge(bytes: 11 * 1_048_576).description.contains("11.0 MB, over the 10 MB"))
    }

    @Test func aTestIsMarkedInItsSubjectElseItsText() {
        let r = RenderedTemplate(
            locale: "en", subject: "Spring news", text: "Hi", html: nil, json: nil, frontMatter: [:])
        #expect(CampaignTestSend.marked(r).subject == "[Test] Spring news" && CampaignTestSend.marked(r).text == "Hi")
        var sms = r
        sms.subject = nil
        #expect(CampaignTestSend.marked(sms).text == "[Test] Hi")
        #expect(MessageKind.test.composedAsListMail && !MessageKind.transactional.composedAsListMail)
    }
}
