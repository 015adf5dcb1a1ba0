import Foundation
import Testing
@testable import Outreach

/// `QuotedPrintable.encode` against the byte-by-byte version it replaced, and decoded by Python.
@Suite struct QuotedPrintableTests {
    static let hex: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// The encoder before it wrote through a pointer (appending byte by byte), kept as the reference.
    static func reference(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var bytes = Array(text.utf8)
        out.reserveCapacity(bytes.count + bytes.count / 4)
        var line = 0
        let n = bytes.count
        bytes.append(0)  // sentinel: no bounds checks for the look-ahead
        var i = 0
        while i < n {
            let b = bytes[i]
            if b == 0x0D || b == 0x0A {
                if b == 0x0D, bytes[i + 1] == 0x0A { i += 1 }
                out.append(0x0D)
                out.append(0x0A)
                line = 0
                i += 1
                continue
            }
            let next = bytes[i + 1]
            let atLineEnd = i + 1 == n || next == 0x0A || next == 0x0D
            // A leading dot is encoded too, also after a soft break: some relays get dot-stuffing wrong.
            let plain =
                ((b >= 0x21 && b <= 0x7E && b != 0x3D) || ((b == 0x20 || b == 0x09) && !atLineEnd))
                && !(b == 0x2E && (line == 0 || line >= 75))
            let width = plain ? 1 : 3
            if line + width > 75 {
                out.append(0x3D)
                out.append(0x0D)
                out.append(0x0A)
                line = 0
            }
            if plain {
                out.append(b)
            } else {
                out.append(0x3D)
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 15)])
            }
            line += width
            i += 1
        }
        return out
    }

    static let samples: [String] = {
        var out = [
            "", ".", ".leading dot", "trailing space ", "trailing tab\t", "a=b", "x\r\n.y\r\n", "\n\n\r\r",
            String(repeating: "æ", count: 200), String(repeating: "a", count: 75), String(repeating: "a", count: 76),
            String(repeating: "=", count: 100), String(repeating: "word ", count: 40) + "\r\n",
        ]
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("ab =.\t\r\nø€🎉".unicodeScalars)
        for _ in 0..<300 {
            var s = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0..<400, using: &rng) { s.append(alphabet.randomElement(using: &rng)!) }
            out.append(String(s))
        }
        // Mostly letters, as in real text, so runs of plain bytes cross the 75-character limit and
        // meet dots, spaces and line ends at every column (seeded: a failure repeats).
        var seeded = SplitMix(seed: 21)
        let texty = Array((String(repeating: "abcdefghij", count: 6) + "  .=\t\r\n\r\nø€").unicodeScalars)
        for length in [80, 151, 400, 2000] {
            for _ in 0..<100 {
                var s = String.UnicodeScalarView()
                for _ in 0..<Int.random(in: 0...length, using: &seeded) {
                    s.append(texty.randomElement(using: &seeded)!)
                }
                out.append(String(s))
            }
        }
        for column in 70...80 {
            for tail in [".", " ", "\t", "=", "ø", " \r\n", "\t\n", ".\n", "a"] {
                out.append(String(repeating: "x", count: column) + tail + String(repeating: "y", count: column))
            }
        }
        // Each byte the eight-at-a-time scan must stop at (or must not), at every offset of a block.
        for special in ["\u{1F}", " ", "\t", ".", "=", "~", "\u{7F}", "ø", " \r\n", " \n"] {
            for at in 0..<20 {
                out.append(String(repeating: "a", count: at) + special + String(repeating: "b", count: 20 - at))
                out.append(String(repeating: "a", count: at) + special)
            }
        }
        return out
    }()

    /// A seeded generator: the random samples are the same on every run.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test func sameBytesAsTheReference() {
        for s in Self.samples { #expect(QuotedPrintable.encode(s) == Self.reference(s), "\(s.debugDescription)") }
    }

    @Test func pythonDecodesTheText() throws {
        let text =
            "Hej Søren,\r\n.prik\r\n" + String(repeating: "lang linje med æøå og = tegn ", count: 20) + " \r\n"
        let r = try TestSupport.python(
            "import sys, quopri; sys.stdout.buffer.write(quopri.decodestring(sys.stdin.buffer.read()))",
            stdin: QuotedPrintable.encode(text))
        #expect(r.stdout == text)
        #expect(
            String(decoding: QuotedPrintable.encode(text), as: UTF8.self).components(separatedBy: "\r\n")
                .allSatisfy { $0.utf8.count <= 76 })
    }
}
