import Foundation

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
