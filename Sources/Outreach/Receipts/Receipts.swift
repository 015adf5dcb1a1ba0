import Foundation

/// Parsing the callbacks SMS gateways make to `/v1/receipts/{channel}`.
///
/// The HTTP endpoint hands over the query string (GET) or the form body (POST) as fields.
public enum Receipts {
    /// Parses a callback for a channel of the given preset (`kannel`, `twilio`).
    public static func parse(
        preset: String, fields: [String: String],
        defaultCountry: String? = nil
    ) throws(ReceiptError) -> ReceiptEvent {
        switch preset {
        case "kannel": return try parseKannel(fields, defaultCountry: defaultCountry)
        case "twilio": return try parseTwilio(fields, defaultCountry: defaultCountry)
        default: throw .unknownFormat(preset)
        }
    }

    /// Decodes `application/x-www-form-urlencoded` text (a query string or a form body); a repeated name keeps the last value.
    public static func formFields(_ text: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decodeComponent(kv[0])
            let value = kv.count > 1 ? decodeComponent(kv[1]) : ""
            out[name] = value
        }
        return out
    }

    static func decodeComponent(_ s: Substring) -> String {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }

    /// Whether an inbound SMS body asks to stop messages: STOP, STOPALL, UNSUBSCRIBE, CANCEL, END,
    /// QUIT (the carrier-standard words), AFMELD (Danish), AVMELD (Norwegian), STOPP and AVSLUTA
    /// (Swedish; STOPP also German and Norwegian), ABMELDEN (German).
    public static func stopKeyword(in body: String) -> String? {
        let word = body.trimmingCharacters(in: .whitespacesAndNewlines.union(.punctuationCharacters)).uppercased()
        return stopWords.contains(word) ? word : nil
    }

    static let stopWords: Set<String> = [
        "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT",
        "AFMELD", "AVMELD", "AVSLUTA", "STOPP", "ABMELDEN",
    ]

    static func phone(_ raw: String, defaultCountry: String?) -> String {
        (try? PhoneNumber.normalize(raw, defaultCountry: defaultCountry)) ?? raw
    }
}
