extension Int {
    /// `value` rounded toward zero and clamped to Int's range; NaN is 0. `Int(_: Double)` traps
    /// outside the range, and the doubles this is used for come from requests and peers.
    public init(saturating value: Double) {
        if value.isNaN {
            self = 0
        } else if value >= Double(Int.max) {
            self = .max
        } else if value <= Double(Int.min) {
            self = .min
        } else {
            self = Int(value)
        }
    }
}

extension Int64 {
    /// `value` rounded toward zero and clamped to Int64's range; NaN is 0.
    public init(saturating value: Double) {
        self = Int64(Int(saturating: value))
    }
}
