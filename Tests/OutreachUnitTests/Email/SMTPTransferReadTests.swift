import OutreachTestFixtures
import Testing

@testable import Channels
@testable import Outreach

/// The read callback hands libcurl the DKIM header and the message in one piece when they fit:
/// whatever sizes libcurl asks for, the pieces put together are the header then the message,
/// exactly, and the end is a read of 0.
@Suite struct SMTPTransferReadTests {
    func transfer(header: [UInt8], bytes: [UInt8]) throws -> SMTPTransfer {
        let settings = try SMTPSettings(
            section: ChannelSections.make("email", ["type": .string("smtp"), "url": .string("smtp://127.0.0.1:25")]))
        return SMTPTransfer(
            message: SMTPMessage(index: 0, from: "a@example.org", to: "b@example.org", bytes: bytes, header: header),
            settings: settings)
    }

    /// Everything the callback hands out when libcurl asks for `sizes` (cycled) bytes at a time.
    func readAll(header: [UInt8], bytes: [UInt8], sizes: [Int]) throws -> [UInt8] {
        let t = try transfer(header: header, bytes: bytes)
        defer { t.release() }
        let user = Unmanaged.passUnretained(t).toOpaque()
        var out: [UInt8] = []
        var call = 0
        while true {
            let room = sizes[call % sizes.count]
            call += 1
            // Bytes past what the callback says it wrote must be left alone: fill with a marker.
            var buffer = [CChar](repeating: 0x5A, count: room + 8)
            let n = buffer.withUnsafeMutableBufferPointer { smtpTransferRead($0.baseAddress, 1, room, user) }
            #expect(n >= 0 && n <= room)
            #expect(buffer[n...].allSatisfy { $0 == 0x5A }, "wrote past \(n)")
            out += buffer[..<n].map { UInt8(bitPattern: $0) }
            if n == 0 { break }
            if call > 100_000 { break }
        }
        // After the end, further reads stay at 0.
        var spare = [CChar](repeating: 0, count: 16)
        #expect(spare.withUnsafeMutableBufferPointer { smtpTransferRead($0.baseAddress, 1, 16, user) } == 0)
        return out
    }

    @Test func everyBoundaryBetweenHeaderAndMessage() throws {
        let header = Array("DKIM-Signature: v=1; a=rsa-sha256; b=abc\r\n".utf8)
        let body = Array("From: a@example.org\r\n\r\nbody\r\n".utf8)
        for (h, b) in [(header, body), ([], body), (header, []), ([UInt8](), [UInt8]()), ([0x41], [0x42])] {
            // Smaller than the header, exactly it, header plus part of the body, everything, more.
            for room in [
                1, 2, 3, 7, h.count - 1, h.count, h.count + 1, h.count + b.count - 1, h.count + b.count,
                h.count + b.count + 1, 16_384,
            ] where room > 0 {
                #expect(try readAll(header: h, bytes: b, sizes: [room]) == h + b, "room \(room)")
            }
            // Sizes that change from call to call (libcurl's buffer is not always empty).
            #expect(try readAll(header: h, bytes: b, sizes: [5, 1, 40, 2, 3, 64]) == h + b)
        }
    }

    @Test func sizeTimesCountIsTheRoom() throws {
        let header = Array(repeating: UInt8(ascii: "h"), count: 10)
        let body = Array(repeating: UInt8(ascii: "b"), count: 25)
        let t = try transfer(header: header, bytes: body)
        defer { t.release() }
        var buffer = [CChar](repeating: 0, count: 64)
        let n = buffer.withUnsafeMutableBufferPointer {
            smtpTransferRead($0.baseAddress, 4, 3, Unmanaged.passUnretained(t).toOpaque())
        }
        #expect(n == 12)
        #expect(buffer[..<12].map { UInt8(bitPattern: $0) } == header + body[..<2])
    }
}
