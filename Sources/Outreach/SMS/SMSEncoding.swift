/// The alphabet an SMS goes out in: GSM 03.38 7-bit when every character fits, UCS-2 otherwise.
public enum SMSEncoding: String, Sendable {
    case gsm7 = "GSM-7"
    case ucs2 = "UCS-2"

    /// Units one single-part message holds (septets or UTF-16 code units).
    public var singleSegmentUnits: Int { self == .gsm7 ? 160 : 70 }
    /// Units each part of a concatenated message holds (the user data header takes the rest).
    public var multiSegmentUnits: Int { self == .gsm7 ? 153 : 67 }
}

/// What an SMS text costs: its alphabet, its length in that alphabet's units, and its parts.
public struct SMSAnalysis: Sendable, Equatable {
    public var encoding: SMSEncoding
    /// Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2.
    public var units: Int
    public var segments: Int
    /// Characters that forced UCS-2 (empty for GSM-7), for explaining the choice.
    public var nonGSMCharacters: [Character]
}

/// Counting SMS texts the way gateways do before sending them.
public enum SMSText {
    /// Chooses the encoding by content and counts units and segments.
    ///
    /// A segment boundary never splits an escape pair (GSM-7 extension character) or a
    /// surrogate pair, as gateways do when they concatenate.
    public static func analyze(_ text: String) -> SMSAnalysis {
        var septets: [Int] = []
        var foreign: [Character] = []
        for ch in text {
            var size = 0
            for scalar in ch.unicodeScalars {
                if GSMAlphabet.basic.contains(scalar) { size += 1 }
                else if GSMAlphabet.extension.contains(scalar) { size += 2 }
                else { size = -1; break }
            }
            if size < 0 { foreign.append(ch) } else { septets.append(size) }
        }
        if foreign.isEmpty {
            // Each character's septets must stay in one segment; split characters into scalars
            // only where a combined character is made of several GSM scalars (rare).
            return SMSAnalysis(encoding: .gsm7, units: septets.reduce(0, +),
                               segments: segments(of: septets, encoding: .gsm7), nonGSMCharacters: [])
        }
        let units = text.unicodeScalars.map { $0.utf16.count }
        var unique: [Character] = []
        for c in foreign where !unique.contains(c) { unique.append(c) }
        return SMSAnalysis(encoding: .ucs2, units: units.reduce(0, +),
                           segments: segments(of: units, encoding: .ucs2), nonGSMCharacters: unique)
    }

    /// Refuses a text longer than `maxSegments` parts (the `max_segments` channel setting).
    @discardableResult
    public static func check(_ text: String, maxSegments: Int) throws(SMSTextError) -> SMSAnalysis {
        let a = analyze(text)
        if a.segments > maxSegments {
            throw .tooManySegments(segments: a.segments, maximum: maxSegments, encoding: a.encoding,
                                   units: a.units, nonGSM: a.nonGSMCharacters)
        }
        return a
    }

    /// Packs indivisible pieces (sizes in units) into segments.
    static func segments(of pieces: [Int], encoding: SMSEncoding) -> Int {
        let total = pieces.reduce(0, +)
        if total <= encoding.singleSegmentUnits { return 1 }
        var count = 1, used = 0
        for p in pieces {
            if used + p > encoding.multiSegmentUnits { count += 1; used = 0 }
            used += p
        }
        return count
    }
}

/// Why an SMS text was refused before sending.
public enum SMSTextError: Error, Equatable, Sendable, CustomStringConvertible {
    case tooManySegments(segments: Int, maximum: Int, encoding: SMSEncoding, units: Int, nonGSM: [Character])

    public var description: String {
        switch self {
        case .tooManySegments(let s, let m, let e, let u, let nonGSM):
            var why = ""
            if e == .ucs2, !nonGSM.isEmpty {
                why = " because of " + nonGSM.prefix(5).map { "\"\($0)\"" }.joined(separator: ", ")
            }
            return "The SMS text needs \(s) segments (\(u) \(e.rawValue) units\(why)), more than max_segments = \(m)."
        }
    }
}
