import Testing

@testable import Outreach

/// `RateLimit`, the one rate type: `COUNT/UNIT` with a unit letter or a duration.
@Suite struct RateLimitTests {
    @Test(
        arguments: [
            ("50/s", 50, 1_000),
            ("5/m", 5, 60_000),
            ("100/h", 100, 3_600_000),
            ("1000/d", 1000, 86_400_000),
            ("3/10s", 3, 10_000),
            ("7/1h30m", 7, 5_400_000),
            (" 20 / m ", 20, 60_000),
        ] as [(String, Int, Int64)])
    func ratesParse(text: String, count: Int, windowMillis: Int64) throws {
        let r = try #require(RateLimit(text))
        #expect(r == RateLimit(count: count, windowMillis: windowMillis))
    }

    @Test(arguments: ["", "50", "/s", "0/s", "-1/s", "fast", "5/week", "5/s/s", "1.5/s"])
    func otherTextIsRefused(text: String) {
        #expect(RateLimit(text) == nil)
    }

    @Test func perSecondIsTheCountOverTheWindow() {
        #expect(RateLimit(count: 600, windowMillis: 60_000).perSecond == 10)
        #expect(RateLimit(count: 1, windowMillis: 4_000).perSecond == 0.25)
        #expect(RateLimit("50/s")?.perSecond == 50)
    }
}
