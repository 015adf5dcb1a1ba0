import Testing

@testable import Outreach

/// `--where` as the core reads it (issue 19.2); the store's side is in StoreConformanceTests.
@Suite struct SegmentTests {
    @Test func clausesOfOneKeyMergeAndKeysAreSorted() throws {
        let s = try Segment.parse(["role=mentor", "Country=DE", "country=SE", "country!=DK", "tz=Europe/Rome"])
        #expect(s.clauses == ["country=DE", "country=SE", "country!=DK", "role=mentor", "timezone=Europe/Rome"])
        #expect(s.conditions.map(\.field) == [.country, .attribute("role"), .timeZone])
    }

    @Test func localesAreCanonicalAndBadOnesRefused() throws {
        #expect(try Segment.parse(["locale=PT_br"]).clauses == ["locale=pt-BR"])
        #expect(throws: SegmentError.badLocale("klingon-language-x")) {
            try Segment.parse(["language=klingon-language-x"])
        }
        #expect(throws: SegmentError.malformed("country")) { try Segment.parse(["country"]) }
        #expect(throws: SegmentError.emptyValue("country=")) { try Segment.parse(["country="]) }
    }

    @Test func unknownKeysAndListsNameTheClosest() throws {
        let s = try Segment.parse(["contry=DE"])
        #expect(throws: SegmentError.unknownKey("contry", closest: "country", attributes: ["role"])) {
            try s.checked(attributes: ["role"], lists: [])
        }
        #expect(try Segment.parse(["Role=x"]).checked(attributes: ["role"], lists: []).clauses == ["role=x"])
        #expect(throws: SegmentError.unknownList("staf", closest: "staff")) {
            try Segment.parse(["list!=staf"]).checked(attributes: [], lists: ["staff", "news"])
        }
        let far = SegmentError.unknownKey("zzzzzz", closest: nil, attributes: [])
        #expect(
            far.description.contains("Built-in: email, phone, locale, country, timezone, list; attributes: none yet"))
    }

    @Test func theStoredFormRoundTripsAndTheOldOneIsRead() throws {
        let s = try Segment.parse(["country=DE", "country!=SE", "role=mentor"])
        #expect(Segment(json: try JSON.parse(s.json.serialized)) == s)
        let old = Segment(json: ["role": "mentor", "locale": "de"])
        #expect(old.clauses == ["locale=de", "role=mentor"])
        #expect(Segment(json: .object([:])).isEmpty)
    }
}
