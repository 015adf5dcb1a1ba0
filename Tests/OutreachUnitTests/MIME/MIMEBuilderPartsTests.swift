import Foundation
import Testing

@testable import Outreach

/// The pieces the builder writes as bytes, against the straightforward versions they replaced.
@Suite struct MIMEBuilderPartsTests {
    /// The date as it was formatted before (arrays of names, interpolation).
    func referenceDate(_ d: Date) -> String {
        var t = time_t(d.timeIntervalSince1970)
        var tm = tm()
        gmtime_r(&t, &tm)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ v: Int32) -> String { v < 10 ? "0\(v)" : "\(v)" }
        return "\(days[Int(tm.tm_wday)]), \(two(tm.tm_mday)) \(months[Int(tm.tm_mon)]) \(tm.tm_year + 1900) "
            + "\(two(tm.tm_hour)):\(two(tm.tm_min)):\(two(tm.tm_sec)) +0000"
    }

    @Test func datesAreWrittenAsBefore() {
        var seconds: Int64 = 0
        while seconds < 4_102_444_800 {  // every weekday, month and hour over 130 years
            let d = Date(timeIntervalSince1970: TimeInterval(seconds))
            #expect(MIMEBuilder.rfc5322Date(d) == referenceDate(d))
            seconds += 86_400 * 13 + 3_607
        }
        // Before 1970, year ends, a leap day, the 32-bit limit, before year 1000 and after 9999.
        for s: Double in [
            -1, -0.5, -86_400 * 365.25 * 300, 1_798_761_599, 1_798_761_600, 951_782_400, 2_147_483_647, 2_147_483_648,
            -31_000_000_000, 253_402_300_800, 1e12,
        ] {
            let d = Date(timeIntervalSince1970: s)
            #expect(MIMEBuilder.rfc5322Date(d) == referenceDate(d), "\(s)")
        }
    }

    @Test func boundariesAreDistinctAndCannotOccurInAnEncodedBody() {
        var seen = Set<String>()
        for _ in 0..<10_000 { seen.insert(MIMEBoundary.next()) }
        #expect(seen.count == 10_000)
        #expect(
            seen.allSatisfy { b in
                b.hasPrefix("=_outreach_") && b.utf8.count == 35
                    && b.utf8.dropFirst(11).allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
            })
        // `=_` never appears in quoted-printable: `=` is always followed by hex digits or a line end.
        let text = "=_outreach_ and =_ and = _ " + String(repeating: "=_", count: 60)
        #expect(!String(decoding: QuotedPrintable.encode(text), as: UTF8.self).contains("=_"))
    }

    @Test func longestLineCountsBytesWithoutTheCR() {
        #expect(MIMEBuilder.longestLine("") == 0)
        #expect(MIMEBuilder.longestLine("abc\r\nde") == 3)
        #expect(MIMEBuilder.longestLine("ab\r\n\r\nabcd\r") == 4)
        #expect(MIMEBuilder.longestLine("æøå\nx") == 6)
    }
}
