import Foundation

/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast, fully deterministic generator, so a fuzz
/// case is reproduced from the seed and its number alone, on any machine.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The generator of case `index` of `target`: independent of every other case, so one case can
    /// be rerun alone (`OUTREACH_FUZZ_ONLY`) and still see the same input.
    static func forCase(seed: UInt64, target: String, index: Int) -> SplitMix64 {
        var salt: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a of the target's name
        for b in target.utf8 { salt = (salt ^ UInt64(b)) &* 0x100_0000_01B3 }
        var mixer = SplitMix64(seed: seed ^ salt)
        for _ in 0...(index % 7) { _ = mixer.next() }
        return SplitMix64(seed: mixer.next() &+ UInt64(index) &* 0xD6E8_FEB8_6659_FD93)
    }

    mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
}

/// How many cases to run, with which seed: fixed by default, longer on request.
///
/// `OUTREACH_FUZZ_SEED` (decimal or 0x hex) changes the seed; `OUTREACH_FUZZ_CASES` the total number
/// of cases, shared among the targets in the default proportions; `OUTREACH_FUZZ_ONLY=N` runs case N
/// of each target alone (to reproduce a failure).
struct FuzzSettings {
    static let defaultSeed: UInt64 = 0x2026_1205_0014
    static let defaultTotal = 2_850

    let seed: UInt64
    let total: Int
    let only: Int?

    static var current: FuzzSettings {
        let env = ProcessInfo.processInfo.environment
        var seed = defaultSeed
        if let s = env["OUTREACH_FUZZ_SEED"] {
            seed = s.hasPrefix("0x") ? UInt64(s.dropFirst(2), radix: 16) ?? defaultSeed : UInt64(s) ?? defaultSeed
        }
        let total = env["OUTREACH_FUZZ_CASES"].flatMap { Int($0) }.map { max(1, $0) } ?? defaultTotal
        return FuzzSettings(seed: seed, total: total, only: env["OUTREACH_FUZZ_ONLY"].flatMap { Int($0) })
    }

    /// This target's share of the total (`parts` of `defaultTotal`), at least one case.
    func cases(_ parts: Int) -> Int { max(1, total * parts / Self.defaultTotal) }

    /// The case numbers to run for a target with `count` cases.
    func indices(_ count: Int) -> [Int] { only.map { [$0] } ?? Array(0..<count) }

    /// A summary line, written at once (print is buffered when a long run goes to a file).
    static func report(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    var seedText: String { "0x" + String(seed, radix: 16) }

    /// How to rerun one case, for failure messages.
    func reproduce(_ target: String, _ index: Int) -> String {
        "\(target) case \(index) (reproduce: OUTREACH_FUZZ_SEED=\(seedText) OUTREACH_FUZZ_ONLY=\(index) "
            + "swift test --filter Fuzz)"
    }
}
