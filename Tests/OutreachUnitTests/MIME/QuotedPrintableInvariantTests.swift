import OutreachTestFixtures
import Testing

@testable import Outreach

/// The quoted-printable encoder checked against what RFC 2045 and our own promises require, on
/// seeded adversarial bytes (not against an older encoder, so shared mistakes show): it decodes back
/// to the input (line ends as CRLF), no line is longer than 76, no line ends in white space, no line
/// starts with a dot (some relays get dot-stuffing wrong), and `=` is always an escape or a soft break.
@Suite struct QuotedPrintableInvariantTests {
    /// The input with every CR LF, lone CR and lone LF as CR LF: what the encoder promises to keep.
    static func normalised(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0D || bytes[i] == 0x0A {
                if bytes[i] == 0x0D, i + 1 < bytes.count, bytes[i + 1] == 0x0A { i += 1 }
                out += [0x0D, 0x0A]
            } else {
                out.append(bytes[i])
            }
            i += 1
        }
        return out
    }

    /// Decodes `encoded`, recording the first broken rule instead (nil when all hold).
    static func decode(_ encoded: [UInt8]) -> (bytes: [UInt8], broken: String?) {
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: b - 0x30
            case 0x41...0x46: b - 0x41 + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        var lineStart = 0
        var i = 0
        while i < encoded.count {
            let b = encoded[i]
            if i == lineStart, b == 0x2E { return (out, "a line starts with a dot at \(i)") }
            if b == 0x0D {
                guard i + 1 < encoded.count, encoded[i + 1] == 0x0A else { return (out, "a lone CR at \(i)") }
                if i > lineStart, encoded[i - 1] == 0x20 || encoded[i - 1] == 0x09 {
                    return (out, "white space before a line end at \(i)")
                }
                if i - lineStart > 76 { return (out, "a line of \(i - lineStart) at \(lineStart)") }
                out += [0x0D, 0x0A]
                i += 2
                lineStart = i
                continue
            }
            if b == 0x3D {
                if i + 2 < encoded.count, encoded[i + 1] == 0x0D, encoded[i + 2] == 0x0A {
                    if i + 1 - lineStart > 76 { return (out, "a soft-broken line of \(i + 1 - lineStart)") }
                    i += 3
                    lineStart = i
                    continue
                }
                guard i + 2 < encoded.count, let h = hex(encoded[i + 1]), let l = hex(encoded[i + 2]) else {
                    return (out, "a bare = at \(i)")
                }
                out.append(h << 4 | l)
                i += 3
                continue
            }
            guard (0x21...0x7E).contains(b) || b == 0x20 || b == 0x09 else { return (out, "raw byte \(b) at \(i)") }
            out.append(b)
            i += 1
        }
        if encoded.count - lineStart > 76 { return (out, "a last line of \(encoded.count - lineStart)") }
        if let last = encoded.last, last == 0x20 || last == 0x09 { return (out, "white space at the end") }
        return (out, nil)
    }

    static func check(_ input: [UInt8]) -> String? {
        let encoded = input.withUnsafeBufferPointer { QuotedPrintable.encode($0) }
        let (decoded, broken) = decode(encoded)
        if let broken { return broken }
        return decoded == normalised(input) ? nil : "does not decode to the input"
    }

    /// Any byte, NUL and invalid UTF-8 included (the pointer entry point takes raw bytes), mostly
    /// letters so runs cross the 75-column limit, with the bytes the scanner treats specially.
    @Test func seededAdversarialBytesKeepEveryRule() {
        var rng = SplitMix64(seed: 21)
        let special: [UInt8] = [0x00, 0x09, 0x0A, 0x0D, 0x20, 0x2E, 0x3D, 0x7E, 0x7F, 0x80, 0xC3, 0xFF, 0x5F]
        var failures: [String] = []
        for round in 0..<3000 {
            let length = Int.random(in: 0...(round % 3 == 0 ? 600 : 170), using: &rng)
            let specialShare = [2, 10, 50][round % 3]
            let input = (0..<length).map { _ -> UInt8 in
                Int.random(in: 0..<100, using: &rng) < specialShare
                    ? special.randomElement(using: &rng)! : UInt8.random(in: 0x61...0x7A, using: &rng)
            }
            if let why = Self.check(input), failures.count < 5 { failures.append("round \(round): \(why)") }
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    /// Every special byte at every column around the soft break, after plain runs of every length.
    @Test func eachSpecialByteAtEachColumn() {
        var failures: [String] = []
        for column in 60...90 {
            for tail: [UInt8] in [
                [0x2E], [0x20], [0x09], [0x3D], [0x00], [0xFF], [0x20, 0x0D, 0x0A], [0x09, 0x0A],
                [0x2E, 0x0A], [0x20, 0x0D], [0x0D], [0xC3, 0xB8], [0x2E, 0x2E], [0x20, 0x20],
            ] {
                for after in [0, 1, 80] {
                    let input = [UInt8](repeating: 0x78, count: column) + tail + [UInt8](repeating: 0x79, count: after)
                    if let why = Self.check(input), failures.count < 5 { failures.append("\(column) \(tail): \(why)") }
                }
            }
        }
        #expect(failures.isEmpty, "\(failures)")
    }
}
