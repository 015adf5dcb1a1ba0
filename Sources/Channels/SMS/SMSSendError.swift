import Outreach

/// Why one SMS was refused before reaching the gateway.
enum SMSSendError: Error, CustomStringConvertible {
    case number(PhoneNumberError)
    case text(SMSTextError)
    case empty
    /// A WhatsApp message that the Cloud API would refuse (an empty template parameter, a text too long).
    case whatsApp(String)

    var description: String {
        switch self {
        case .number(let e): return e.description
        case .text(let e): return e.description
        case .empty: return "The SMS text is empty."
        case .whatsApp(let why): return why
        }
    }

    /// A number that can never be reached is suppressed, so later campaigns skip it.
    var suppressesNumber: Bool {
        if case .number = self { return true }
        return false
    }
}
