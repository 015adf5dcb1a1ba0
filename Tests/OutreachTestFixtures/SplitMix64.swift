/// SplitMix64 (Steele, Lea, Flood 2014): a tiny, fast, fully deterministic generator, so a fuzz
/// case is reproduced from the seed and its number alone, on any machine. Both layers' fuzz runs
/// use it (the end-to-end CLI and HTTP targets, the unit target's bounce parser).
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The generator of case `index` of `target`: independent of every other case, so one case can
    /// be rerun alone (`OUTREACH_FUZZ_ONLY`) and still see the same input.
    public static func forCase(seed: UInt64, target: String, index: Int) -> SplitMix64 {
        var salt: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a of the target's name
        for b in target.utf8 { salt = (salt ^ UInt64(b)) &* 0x100_0000_01B3 }
        var mixer = SplitMix64(seed: seed ^ salt)
        for _ in 0...(index % 7) { _ = mixer.next() }
        return SplitMix64(seed: mixer.next() &+ UInt64(index) &* 0xD6E8_FEB8_6659_FD93)
    }

    public mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    public mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    public mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    public mutating func byte() -> UInt8 { UInt8(truncatingIfNeeded: next()) }
}
