import Foundation
import Testing
@testable import Outreach

/// The byte-by-byte RFC 3339 reader against Foundation's ISO 8601 parser, which it stands in for.
@Suite struct TimestampsTests {
    static let foundation = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    static func reference(_ s: String) -> Int64? {
        (try? foundation.parse(s)).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) }
    }

    @Test(arguments: [
        "2026-12-01T09:00:00+01:00", "2026-12-01T09:00:00Z", "2026-03-29T01:59:59.5Z", "2024-02-29T23:59:59-05:30",
        "1999-12-31T23:59:59.123+14:00", "2026-10-25T02:30:00.25+02:00", "2000-01-01T00:00:00.000Z",
    ])
    func validTimesMatchFoundation(_ s: String) throws {
        let ours = try #require(Timestamps.parse(s))
        #expect(ours == Self.reference(s))
    }

    /// Odd input answers as Foundation answers it (the fast path leaves it to Foundation).
    @Test(arguments: [
        "2026-13-01T09:00:00Z", "2026-02-30T09:00:00Z", "2026-12-01T24:00:00Z", "2026-12-01T09:00:00",
        "2026-12-01 09:00:00Z", "tomorrow", "2026-12-01T09:00:00+0100x", "", "2026-12-01T09:00:00.Z",
    ])
    func oddTimesAnswerAsFoundationDoes(_ s: String) {
        #expect(Timestamps.parse(s) == Self.reference(s))
    }

    @Test(arguments: ["tomorrow", "", "2026-13-01T09:00:00Z", "2026-12-01"])
    func nonTimesAreRefused(_ s: String) {
        #expect(Timestamps.parse(s) == nil)
    }

    @Test func randomTimesMatchFoundation() throws {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let t = Int64.random(in: 0...4_102_444_800_000, using: &rng)
            let offset = [0, 60, 90, 330, -300, -480, 840][Int.random(in: 0..<7, using: &rng)]
            let date = Date(timeIntervalSince1970: Double(t) / 1000)
            let tz = TimeZone(secondsFromGMT: offset * 60)!
            let s = date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: tz))
            #expect(Timestamps.parse(s) == Self.reference(s), "\(s)")
        }
    }
}
