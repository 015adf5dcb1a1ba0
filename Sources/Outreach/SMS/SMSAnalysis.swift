/// What an SMS text costs: its alphabet, its length in that alphabet's units, and its parts.
public struct SMSAnalysis: Sendable, Equatable {
    public var encoding: SMSEncoding
    /// Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2.
    public var units: Int
    public var segments: Int
    /// Characters that forced UCS-2 (empty for GSM-7), for explaining the choice.
    public var nonGSMCharacters: [Character]
}
