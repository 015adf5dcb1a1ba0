/// Why a phone number could not be written as E.164.
public enum PhoneNumberError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The number is empty or holds only separators.
    case empty
    /// The number contains letters (e.g. "call me" or "+45 2143 66ab").
    case letters(String)
    /// A character that is neither a digit nor a separator (space, dash, dot, slash, parentheses).
    case invalidCharacter(Character, in: String)
    /// Fewer digits than the country (or E.164) allows.
    case tooShort(String, minimumDigits: Int)
    /// More digits than the country (or E.164's 15) allows.
    case tooLong(String, maximumDigits: Int)
    /// A local number (no `+` or `00`) and no default country to place it in.
    case noCountryCode(String)
    /// The default country is not an ISO 3166 alpha-2 code this table knows.
    case unknownCountry(String)
    /// A `+` or `00` number whose calling code starts with 0.
    case invalidCountryCode(String)

    public var description: String {
        switch self {
        case .empty:
            return "The phone number is empty."
        case .letters(let raw):
            return "The phone number \"\(raw)\" contains letters; write digits only, e.g. +4521436677."
        case .invalidCharacter(let c, let raw):
            return
                "The phone number \"\(raw)\" contains \"\(c)\"; only digits, spaces, dashes, dots, slashes, parentheses and a leading + are allowed."
        case .tooShort(let raw, let min):
            return "The phone number \"\(raw)\" is too short: it needs at least \(min) digits after the country code."
        case .tooLong(let raw, let max):
            return "The phone number \"\(raw)\" is too long: at most \(max) digits are allowed after the country code."
        case .noCountryCode(let raw):
            return
                "The phone number \"\(raw)\" has no country code; write it as +<country code><number> or configure default_country."
        case .unknownCountry(let code):
            return
                "The country \"\(code)\" is not a known ISO 3166 alpha-2 code with a calling code (e.g. DK, SE, DE, GB, US)."
        case .invalidCountryCode(let raw):
            return "The phone number \"\(raw)\" has no valid country calling code after + or 00."
        }
    }
}
