import Synchronization

/// Multipart boundaries: `=_outreach_` and 24 hex digits, different for every multipart this
/// process builds.
///
/// A boundary must not occur in the parts it separates. Every part is quoted-printable or base64,
/// where `=` is followed by hex digits, a line end or another `=`, never by `_`: no body can hold
/// `=_`, whatever its text. So the digits need not be secret, only distinct (nested multiparts)
/// and not guessable across processes: a counter mixed with a key drawn once from OpenSSL, instead
/// of asking OpenSSL for random bytes (a lock and a getpid call) for every message.
enum MIMEBoundary {
    private static let key: (UInt64, UInt64) = {
        let b = Crypto.randomBytes(16)
        let word = { (at: Int) in b[at..<at + 8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
        return (word(0), word(8))
    }()
    private static let counter = Atomic<UInt64>(0)

    static func next() -> String {
        let n = counter.add(1, ordering: .relaxed).newValue
        // SplitMix64's finaliser is a bijection: distinct counters give distinct first words.
        let first = mix(key.0 &+ n)
        let second = mix(key.1 ^ first) >> 32
        var out: [UInt8] = []
        out.reserveCapacity(35)
        out.append(contentsOf: "=_outreach_".utf8)
        appendHex(first, digits: 16, to: &out)
        appendHex(second, digits: 8, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    static func mix(_ x: UInt64) -> UInt64 {
        var z = x &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private static func appendHex(_ v: UInt64, digits: Int, to out: inout [UInt8]) {
        let hex: StaticString = "0123456789abcdef"
        for i in stride(from: digits - 1, through: 0, by: -1) {
            out.append(hex.utf8Start[Int((v >> (4 * UInt64(i))) & 15)])
        }
    }
}
