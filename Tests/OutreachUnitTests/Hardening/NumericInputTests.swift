import Foundation
import Outreach
import Testing

/// Issue 14.1: every conversion of a number that comes from a request, a peer or a configuration
/// file. Each case here trapped (or could) before; each must now answer with a value or nil.
@Suite struct NumericInputTests {
    @Test func saturatingConversionClampsInsteadOfTrapping() {
        #expect(Int(saturating: 1e300) == .max)
        #expect(Int(saturating: -1e300) == .min)
        #expect(Int(saturating: Double(Int.max)) == .max)
        #expect(Int(saturating: .nan) == 0)
        #expect(Int(saturating: .infinity) == .max)
        #expect(Int(saturating: -42.9) == -42)
        #expect(Int64(saturating: 9.3e18) == .max)
    }

    /// Retry-After is a peer's number: "1e300" seconds once trapped in `Int64(ra * 1000)`.
    @Test func aHugeRetryAfterMakesTheDeliveryDeadInsteadOfTrapping() {
        let p = RetryPolicy()
        #expect(p.retryAt(attempts: 1, createdAt: 0, now: 1000, retryAfterSeconds: 1e300) == nil)
        #expect(p.retryAt(attempts: 1, createdAt: 0, now: 1000, retryAfterSeconds: .infinity) == nil)
        #expect(p.retryAt(attempts: 1, createdAt: 0, now: 1000, retryAfterSeconds: 9.2e15) == nil)
        #expect(p.retryAt(attempts: 1, createdAt: 0, now: 1000, retryAfterSeconds: 2) == 3000)
        var big = RetryPolicy()
        big.baseMillis = .max / 2
        big.capMillis = .max
        big.maxAgeMillis = .max
        #expect(big.retryAt(attempts: 7, createdAt: 0, now: 1000, retryAfterSeconds: nil, random: 1.2) == nil)
    }

    /// A duration past Int64 milliseconds is refused (nil), not an overflow trap.
    @Test func anOverlongDurationIsNotADuration() {
        #expect(WallClock.parseDuration("99999999999999999d") == nil)
        #expect(WallClock.parseDuration("9223372036854775807s") == nil)
        #expect(WallClock.parseDuration("106751991167d1d") == nil)
        #expect(WallClock.parseDuration("1h30m") == 5_400_000)
    }

}
