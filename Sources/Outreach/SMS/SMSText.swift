/// Counting SMS texts the way gateways do before sending them.
public enum SMSText {
    /// Chooses the encoding by content and counts units and segments.
    ///
    /// A segment boundary never splits an escape pair (GSM-7 extension character) or a
    /// surrogate pair, as gateways do when they concatenate.
    public static func analyze(_ text: String) -> SMSAnalysis {
        // One entry per scalar: 1 septet, or 2 for an escape pair that must stay in one part.
        var septets: [Int] = []
        var foreign: [Character] = []
        for ch in text {
            for scalar in ch.unicodeScalars {
                if GSMAlphabet.basic.contains(scalar) {
                    septets.append(1)
                } else if GSMAlphabet.extension.contains(scalar) {
                    septets.append(2)
                } else {
                    foreign.append(ch); break
                }
            }
        }
        if foreign.isEmpty {
            return SMSAnalysis(
                encoding: .gsm7, units: septets.reduce(0, +),
                segments: segments(of: septets, encoding: .gsm7), nonGSMCharacters: [])
        }
        let units = text.unicodeScalars.map { $0.utf16.count }
        var unique: [Character] = []
        for c in foreign where !unique.contains(c) { unique.append(c) }
        return SMSAnalysis(
            encoding: .ucs2, units: units.reduce(0, +),
            segments: segments(of: units, encoding: .ucs2), nonGSMCharacters: unique)
    }

    /// Refuses a text longer than `maxSegments` parts (the `max_segments` channel setting).
    @discardableResult
    public static func check(_ text: String, maxSegments: Int) throws(SMSTextError) -> SMSAnalysis {
        let a = analyze(text)
        if a.segments > maxSegments {
            throw .tooManySegments(
                segments: a.segments, maximum: maxSegments, encoding: a.encoding,
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
